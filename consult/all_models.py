"""Import every module that defines tables, so ``Base.metadata`` is complete.

Alembic's env.py and the schema tests import this; a feature package with
its own ``models.py`` adds one line here.
"""

from consult import models  # noqa: F401
from consult.auth import models as auth_models  # noqa: F401
from consult.coding import models as coding_models  # noqa: F401
from consult.focusgroups import models as focusgroups_models  # noqa: F401
from consult.reports import models as reports_models  # noqa: F401
from consult.strategy import models as strategy_models  # noqa: F401
from consult.umbrella import models as umbrella_models  # noqa: F401
from consult.waves import models as waves_models  # noqa: F401
