"""Import every module that defines tables, so ``Base.metadata`` is complete.

Alembic's env.py and the schema tests import this; a feature package with
its own ``models.py`` adds one line here.
"""

from consult import models  # noqa: F401
