from alembic import context

from isp_common.migrations import run_env

run_env(context)
