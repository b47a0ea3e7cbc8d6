"""Normalisation: folding, tokens with offsets, stemming."""

from analysis.normalise import Analyzer, base_language, fold, token_spans


def test_fold_casefolds_and_strips_latin_accents():
    assert fold("ÉDUCATION") == "education"
    assert fold("Médecin") == fold("medecin")
    assert fold("ﬁle") == "file"  # NFKC ligature


def test_fold_arabic_diacritics_tatweel_and_letter_variants():
    assert fold("السَّكَن") == fold("السكن")
    assert fold("شقـــة") == fold("شقة")
    assert fold("إيجار") == fold("ايجار")
    assert fold("کار") == fold("كار")  # Persian kaf and Arabic kaf
    assert fold("یک") == fold("يك")  # Persian yeh and Arabic yeh
    assert fold("٣") == "3"


def test_fold_keeps_cyrillic_and_gurmukhi_marks():
    assert fold("Їжа") == "їжа"
    assert fold("ਨੌਕਰੀ") == "ਨੌਕਰੀ"


def test_tokens_keep_offsets_into_the_original_text():
    text = "  L'Émploi, c'est ÇA!"
    analyzer = Analyzer("fr")
    tokens = analyzer.tokens(text)
    assert [text[t.start : t.end] for t in tokens] == ["L", "Émploi", "c", "est", "ÇA"]
    assert tokens[1].folded == "emploi"


def test_combining_marks_stay_inside_words():
    text = "ਮੈਨੂੰ ਨੌਕਰੀ ਨਹੀਂ ਮਿਲਦੀ"
    assert [text[s:e] for s, e in token_spans(text)] == text.split()
    arabic = "شُقَّة للإيجار"
    assert [arabic[s:e] for s, e in token_spans(arabic)] == ["شُقَّة", "للإيجار"]


def test_han_characters_are_single_tokens():
    text = "房租太贵了,OK"
    assert [text[s:e] for s, e in token_spans(text)] == ["房", "租", "太", "贵", "了", "OK"]


def test_ukrainian_apostrophes_split_the_same_way():
    ascii_form = [t.folded for t in Analyzer("uk").tokens("кар'єра")]
    modifier_form = [t.folded for t in Analyzer("uk").tokens("карʼєра")]
    assert ascii_form == modifier_form == ["кар", "єра"]


def test_stemmers_reduce_inflections():
    assert Analyzer("fr").forms("logements")[1] == Analyzer("fr").forms("logement")[1]
    assert Analyzer("es").forms("autobuses")[1] == Analyzer("es").forms("autobús")[1]
    assert Analyzer("es").forms("médicas")[1] == Analyzer("es").forms("médico")[1]
    assert Analyzer("en").forms("landlords")[1] == "landlord"
    assert Analyzer("en").forms("classes")[1] == Analyzer("en").forms("class")[1]
    assert Analyzer("en").forms("cities")[1] == Analyzer("en").forms("city")[1]


def test_stemmers_keep_derived_words_apart():
    """Whole words: ``training`` is not ``train``, ``parking`` is not ``park``."""
    english = Analyzer("en")
    assert english.forms("training")[1] != english.forms("train")[1]
    assert english.forms("parking")[1] != english.forms("park")[1]
    assert english.forms("care")[1] != english.forms("car")[1]
    assert Analyzer("es").forms("trabajando")[1] != Analyzer("es").forms("trabajos")[1]


def test_arabic_light_stem_strips_article_and_suffix_not_root():
    analyzer = Analyzer("ar")
    assert analyzer.forms("والسكن")[1] == analyzer.forms("سكن")[1]
    assert analyzer.forms("الشقة")[1] == analyzer.forms("شقة")[1]
    assert analyzer.forms("وظيفة")[1].startswith("وظ")  # the root's waw is kept


def test_languages_without_stemmer_are_only_folded():
    analyzer = Analyzer("so")
    assert not analyzer.stems
    assert analyzer.forms("Shaqada") == ("shaqada", "shaqada")


def test_base_language():
    assert base_language("fr-CA") == "fr"
    assert base_language("zh") == "zh-Hans"
    assert base_language("zh_TW") == "zh-Hant"
    assert base_language("pa-Guru") == "pa"
