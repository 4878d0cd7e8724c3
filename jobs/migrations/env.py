"""Alembic environment: runs migrations against the URL the caller configured."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import auth.access  # noqa: F401  (registers the owner_access table)
import auth.audit  # noqa: F401  (registers the audit_event table)
import auth.tokens  # noqa: F401  (registers the access_token table)
import jobs.idempotency  # noqa: F401  (registers the idempotency_key table)
import jobs.images  # noqa: F401  (registers the job_image table)
import jobs.limits  # noqa: F401  (registers the submit_bucket table)
import jobs.models  # noqa: F401  (registers the tables on SQLModel.metadata)
import jobs.reviews  # noqa: F401  (registers the image_review table)
import loras.versions  # noqa: F401  (registers the style_version table)
import runner.tables  # noqa: F401  (registers the runners' shared run state)

config = context.config
url = config.get_main_option("sqlalchemy.url")

if context.is_offline_mode():
    context.configure(url=url, target_metadata=SQLModel.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connectable = create_engine(url)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()
