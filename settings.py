"""Settings for both services, read from `BAG_*` environment variables (and `.env`)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ModelEntry(BaseModel):
    """One model the runner holds: a local diffusers directory, or a family's built-in demo."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    family: str
    path: str | None = None
    preset: str | None = None
    demo: bool = False

    @model_validator(mode="after")
    def path_or_demo(self) -> ModelEntry:
        if self.demo == bool(self.path):
            raise ValueError("give either a path or demo: true")
        return self

    @property
    def resolved_name(self) -> str:
        return self.name or (f"demo-{self.family}" if self.demo else Path(self.path or "").name)


def require_https(url: str, setting: str, *, allow_http: bool) -> None:
    """ValueError unless `url` is https:// (or http:// where the test-only setting allows it).

    Over plain HTTP anyone on the path could read the Graph client secret, answer "has access" for
    any token owner, or serve their own signing keys and sign in as anybody.
    """
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme.lower() not in schemes or not parts.netloc:
        raise ValueError(
            f"{setting} must use https:// (got {url!r}); plain http:// is accepted only with "
            "BAG_ALLOW_HTTP_IDENTITY_URLS_FOR_TESTS=true, which is for tests"
        )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BAG_", env_file=".env", extra="ignore")

    # Where weights, the database and stored images live; outside the source tree.
    data_dir: Path = Path("data")
    # SQLAlchemy URL; empty means SQLite in the data directory.
    database_url: str = ""
    # Bring the schema up to date when the API starts (one box). Several replicas: run the migrate
    # step (`python -m jobs.migrate`) once per release and set this false; a replica then refuses to
    # start on an out-of-date schema instead of racing the others to change it.
    migrate_on_start: bool = True
    # How long a finished job may be answered from a replica's memory: the bound on how long a
    # delete made on one replica (or by the sweeper) can still be seen on another.
    finished_cache_seconds: float = Field(default=10.0, ge=0, le=300)

    # The runner: which models it holds. BAG_MODELS is a JSON list of ModelEntry, e.g.
    # [{"family": "flux", "path": "/weights/FLUX.1-dev"}, {"family": "sd3", "demo": true}];
    # for one model BAG_MODEL_DIR (+ BAG_MODEL_FAMILY) is enough; neither: the FLUX demo.
    models: list[ModelEntry] = Field(default_factory=list)
    default_model: str = ""
    model_dir: str = ""
    model_family: str = "flux"
    model_name: str = ""
    # Brand styles (see loras/): a directory of <name>/style.json + adapter; empty: <data_dir>/styles.
    styles_dir: str = ""
    # The style a job gets when it names none; empty: the base model.
    default_style: str = ""
    # How models sit in memory (models/placement.py); the bnb modes need the bitsandbytes package;
    # small_gpu is the 16 GB card mode (fp8 transformer, large text encoders streamed from the host).
    memory_mode: Literal["gpu", "model_offload", "group_offload", "fp8_layerwise", "bnb_4bit", "bnb_8bit",
                         "small_gpu"] = "gpu"
    # Speed on a GPU (models/speed.py, docs/operations.md): off (plain diffusers), lossless (compiled
    # repeated blocks, the fastest exact attention, the same images) or fast (lossless plus fp8
    # weights and activations: lossy). auto: lossless when the runner has a CUDA device and memory
    # mode gpu, off otherwise (compiling over offload or casting hooks is opt-in: name the mode).
    # Styles then switch by hotswapping one adapter slot, so compiled graphs are never rebuilt.
    speed_mode: Literal["auto", "off", "lossless", "fast"] = "auto"
    # Where compiled kernels are kept across restarts; empty: <data_dir>/compile-cache.
    compile_cache_dir: str = ""
    # Opt-in: capture CUDA graphs of the compiled blocks (one per image size and batch size seen).
    cuda_graphs: bool = False
    # Older, superseded by speed_mode: torch.compile the whole transformer (minutes to compile) when
    # speed_mode is off. The backend also applies to speed_mode's compile.
    compile_transformer: bool = False
    compile_backend: str = "inductor"
    # An URL of a separately served runner; empty means both services start on this box.
    runner_url: str = ""
    # Where runners keep progress and cancels (runner/board.py): `memory` for one runner, `database`
    # when several sit behind one address (any of them may be asked about any run); `auto` picks
    # `database` on PostgreSQL. BAG_RUNNER_ID names this runner in /health (empty: host and pid).
    runner_state: Literal["auto", "memory", "database"] = "auto"
    runner_id: str = ""
    # On SIGTERM a runner takes no new work and lets its current batch finish for this long; runs
    # still going then stop at their next step and go back to the queue unspent. Keep it under the
    # platform's grace period (Kubernetes: terminationGracePeriodSeconds, 30 s by default).
    runner_drain_seconds: float = Field(default=20.0, ge=0)
    runner_max_batch_size: int = 8
    # Most images in one pipeline call; 0 picks by device. On a GPU bigger calls raise throughput;
    # on a CPU they do not (a compute-bound model, larger tensors thrash the caches), so there the
    # jobs of one batch run back to back, still without a round trip to the API between them.
    max_images_per_call: int = Field(default=0, ge=0, le=64)

    # The dispatcher: how many jobs may wait (queued or running) before /generate answers 503,
    # how many runner calls may be in flight at once (so the runner can batch them), and how
    # long a running job's lease lasts without a heartbeat before another process may rerun it.
    max_pending_jobs: int = Field(default=64, ge=1)
    runner_concurrency: int = Field(default=8, ge=1)
    # Runs interrupted mid-render before a job fails; runs lost before their first step count
    # apart, against the more generous `max_handoffs` (docs/operations.md, "Crashes and recovery").
    max_attempts: int = Field(default=3, ge=1)
    max_handoffs: int = Field(default=10, ge=1)
    lease_seconds: float = Field(default=30.0, gt=0)
    # How often progress is copied from the runner (and leases renewed); the web app polls every 2 s.
    progress_interval_seconds: float = Field(default=1.0, gt=0)
    runner_retry_seconds: float = Field(default=2.0, gt=0)
    # Tries of each image write while storage is down (backoff from 0.5 s, doubling, at most 8 s
    # apart: 6 tries span about 15 s) before the run's images are given up and the job requeued.
    storage_write_attempts: int = Field(default=6, ge=1, le=20)

    # Content credentials (C2PA, provenance/config.py says what each combination does): every stored
    # PNG signed with the key and chain (a PEM file: the signing certificate, then its CA), read back
    # against the trust anchors (PEM). No key and chain with signing on: images stored unsigned, said
    # at start and in /health. The key may be keyvault:https://<vault>.vault.azure.net/secrets/<name>.
    c2pa_signing: Literal["on", "off"] = "on"
    c2pa_cert_chain: str = ""
    c2pa_private_key: str = ""
    c2pa_trust_anchors: str = ""
    # What the manifest says beyond product, model and style: the prompt, the creator's display name.
    c2pa_include_prompt: bool = False
    c2pa_include_creator: bool = False

    # Images: signed links and how long anything is kept.
    link_ttl_seconds: int = Field(default=24 * 3600, ge=1)
    retention_days: float = Field(default=30.0, gt=0)
    sweep_interval_seconds: float = Field(default=3600.0, gt=0)
    # HMAC key for image links. Empty: one is generated once and kept in the data directory.
    link_secret: str = ""
    # Secrets being rotated out, as a JSON list: links they signed still verify (never signed with).
    link_secret_previous: list[str] = Field(default_factory=list)
    # The address clients reach the API at, for image links; empty: taken from each request.
    public_url: str = ""
    # `fast` (fpng) or `zlib` (Pillow at png_compress_level): see storage/png.py.
    png_encoder: Literal["fast", "zlib"] = "fast"
    png_compress_level: int = Field(default=6, ge=0, le=9)

    # Where images are kept: `local` (the data directory; this API serves the links) or `azure`
    # (Blob Storage; links are SAS URLs to the blob service, docs/scaling.md). For azure, one of:
    # a connection string with the account key (which signs links), or the account URL
    # (https://<account>.blob.core.windows.net) with DefaultAzureCredential (user delegation SAS).
    storage: Literal["local", "azure"] = "local"
    azure_storage_connection_string: str = ""
    azure_storage_account_url: str = ""
    azure_storage_container: str = "images"
    # Empty: the SDK's default. An emulator may need an older one (Azurite 3.35: 2025-11-05).
    azure_storage_api_version: str = ""
    # A CA file to trust for the blob endpoint (a test emulator's self-signed certificate).
    azure_storage_ca_bundle: str = ""

    # Development sign-in: anyone may act as any user. Refused beyond localhost unless forced.
    dev_auth: bool = False
    dev_auth_force: bool = False

    # Microsoft Entra ID sign-in (docs/sign-in.md). On when a tenant id is set.
    entra_tenant_id: str = ""
    # Accepted `aud` values, as a JSON list: the API's application id URI and its client id.
    entra_audience: list[str] = Field(default_factory=list)
    # Empty: the tenant's v2.0 key set at login.microsoftonline.com.
    entra_jwks_url: str = ""
    # Also accept v1.0 tokens (issuer https://sts.windows.net/{tid}/), not just v2.0.
    entra_accept_v1: bool = False
    # Access: the app role a caller needs (preferred), or a group id; both empty: anyone in the tenant.
    entra_required_role: str = "Generator.Use"
    entra_required_group: str = ""
    # When a token has too many groups to list ("groups overage") and the caller lacks the role:
    # deny, or allow (only safe with "Assignment required" on the enterprise application).
    entra_groups_overage: Literal["deny", "allow"] = "deny"
    entra_admin_role: str = "Generator.Admin"
    # App role of those who approve or reject images for the Approved library (administrators may too).
    entra_reviewer_role: str = "Generator.Reviewer"
    entra_leeway_seconds: int = Field(default=60, ge=0, le=300)
    entra_keys_ttl_seconds: float = Field(default=3600.0, gt=0)
    # Least time between two fetches caused by an unknown key id (or a failed fetch).
    entra_keys_refetch_cooldown_seconds: float = Field(default=60.0, ge=0)
    entra_keys_timeout_seconds: float = Field(default=5.0, gt=0)

    # The web app. The one-box default serves its build (frontend/dist) under /app/; empty web_dir
    # means that folder in the source tree. A web app hosted on another origin (a static site)
    # needs that origin in cors_origins, as a JSON list, e.g. ["https://bag.example.com"].
    web_dir: str = ""
    cors_origins: list[str] = Field(default_factory=list)
    # Microsoft sign-in in the web app (GET /auth/config tells it): the client id of the web app's
    # own app registration (a single-page application) and the scopes it asks for; empty scopes:
    # api://<the API's client id>/access_as_user, from the first api:// entry of entra_audience.
    web_client_id: str = ""
    web_scopes: list[str] = Field(default_factory=list)
    # The largest request body accepted (413 beyond it, checked before the body is read). The
    # largest legitimate body is a job with a 2,000-character prompt, a few KiB of JSON.
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)

    # Per-user limits on POST /generate (polling is not limited): a token bucket refilled at
    # submit_rate_per_minute holding up to submit_burst, and a cap on jobs queued or running at once.
    # 0 turns a limit off.
    submit_rate_per_minute: float = Field(default=30.0, ge=0)
    submit_burst: int = Field(default=10, ge=1)
    max_active_jobs_per_user: int = Field(default=10, ge=0)
    # Personal access tokens a user may hold at once (revoked ones not counted).
    max_access_tokens_per_user: int = Field(default=20, ge=1)
    # Every personal access token expires: a lifetime in days when none is asked for, and the most
    # that may be asked for (docs/sign-in.md).
    access_token_default_days: int = Field(default=90, ge=1)
    access_token_max_days: int = Field(default=366, ge=1, le=3660)  # auth.tokens.MAX_TOKEN_DAYS
    # A token works only while its owner's access (app role or group) was confirmed this recently,
    # by the owner's own sign-in or, with the Graph credentials below, a Graph lookup.
    access_recheck_seconds: float = Field(default=24 * 3600.0, gt=0)
    # Client credentials of the API's app registration, for Graph lookups of token owners (the
    # permissions are listed in auth/graph.py); empty: owners re-confirm by signing in.
    graph_client_id: str = ""
    graph_client_secret: str = ""
    graph_timeout_seconds: float = Field(default=5.0, gt=0)
    # Where Graph and the token endpoint are; changed only by tests, which serve them on loopback.
    graph_url: str = "https://graph.microsoft.com"
    login_url: str = "https://login.microsoftonline.com"
    # Only for tests that serve the key set, Graph and the token endpoint on http://127.0.0.1:
    # never set this in production (see require_https).
    allow_http_identity_urls_for_tests: bool = False

    @model_validator(mode="after")
    def token_lifetimes_agree(self) -> Settings:
        if self.access_token_default_days > self.access_token_max_days:
            raise ValueError(
                f"BAG_ACCESS_TOKEN_DEFAULT_DAYS ({self.access_token_default_days}) is more than "
                f"BAG_ACCESS_TOKEN_MAX_DAYS ({self.access_token_max_days}); lower the default or raise the maximum"
            )
        return self

    @model_validator(mode="after")
    def identity_urls_use_https(self) -> Settings:
        allow_http = self.allow_http_identity_urls_for_tests
        require_https(self.graph_url, "BAG_GRAPH_URL", allow_http=allow_http)
        require_https(self.login_url, "BAG_LOGIN_URL", allow_http=allow_http)
        if self.entra_jwks_url:
            require_https(self.entra_jwks_url, "BAG_ENTRA_JWKS_URL", allow_http=allow_http)
        return self

    @property
    def graph_enabled(self) -> bool:
        return bool(self.graph_client_id and self.graph_client_secret)

    @property
    def entra_enabled(self) -> bool:
        return bool(self.entra_tenant_id)

    @property
    def resolved_jwks_url(self) -> str:
        return self.entra_jwks_url or (
            f"https://login.microsoftonline.com/{self.entra_tenant_id}/discovery/v2.0/keys"
        )

    @property
    def resolved_web_dir(self) -> Path:
        return Path(self.web_dir) if self.web_dir else Path(__file__).resolve().parent / "frontend" / "dist"

    @property
    def resolved_web_scopes(self) -> list[str]:
        if self.web_scopes:
            return self.web_scopes
        uri = next((a for a in self.entra_audience if a.startswith("api://")), "")
        return [f"{uri.rstrip('/')}/access_as_user"] if uri else []

    @property
    def resolved_styles_dir(self) -> Path:
        return Path(self.styles_dir) if self.styles_dir else self.data_dir / "styles"

    @property
    def resolved_compile_cache_dir(self) -> Path:
        return Path(self.compile_cache_dir) if self.compile_cache_dir else self.data_dir / "compile-cache"

    def resolved_speed_mode(self, device: str) -> Literal["off", "lossless", "fast"]:
        """BAG_SPEED_MODE, with auto resolved for this runner's device."""
        if self.speed_mode == "auto":
            return "lossless" if device == "cuda" and self.memory_mode == "gpu" else "off"
        if self.speed_mode != "off" and self.memory_mode == "fp8_layerwise":
            # diffusers' layerwise casting makes an nn.Parameter inside each block's forward, which
            # torch.compile refuses: the runner would fail on its first job, so refuse at start.
            raise ValueError(
                f"BAG_SPEED_MODE={self.speed_mode} compiles the transformer, which BAG_MEMORY_MODE=fp8_layerwise "
                "cannot be; use BAG_SPEED_MODE=fast (fp8 weights, compiled) or BAG_MEMORY_MODE=small_gpu instead")
        return self.speed_mode

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'jobs.db').resolve()}"

    @property
    def shared_database(self) -> bool:
        """Whether other processes on other hosts may share this database (anything but SQLite)."""
        return not self.sqlalchemy_url.startswith("sqlite")

    def resolved_link_secret(self) -> bytes:
        """The configured link key, or one generated on first use and kept (mode 0600).

        Only one box may make its own: with a shared database, another replica may be asked to
        verify a link this one signed, and a key made up here would refuse it."""
        if self.link_secret:
            return self.link_secret.encode()
        if self.shared_database:
            raise ValueError(
                "BAG_LINK_SECRET is not set. With a shared database (BAG_DATABASE_URL) every API replica "
                "must verify the image links the others sign, so they need one secret, given to all of "
                "them: set BAG_LINK_SECRET to the same random value of at least 16 characters "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) on every replica."
            )
        path = self.data_dir / "link-secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(secrets.token_urlsafe(48))
            tmp.chmod(0o600)
            tmp.replace(path)
        return path.read_text().strip().encode()


@lru_cache
def get_settings() -> Settings:
    return Settings()
