"""Contains all the data models used in inputs/outputs"""

from .audit_event_public import AuditEventPublic
from .audit_page import AuditPage
from .brand_color import BrandColor
from .brand_match import BrandMatch
from .content_credentials import ContentCredentials
from .content_credentials_state import ContentCredentialsState
from .entra_client_config import EntraClientConfig
from .error_body import ErrorBody
from .error_detail import ErrorDetail
from .field_error import FieldError
from .generate_request import GenerateRequest
from .generate_request_aspect_ratio_type_0 import GenerateRequestAspectRatioType0
from .health import Health
from .health_content_credentials import HealthContentCredentials
from .image_public import ImagePublic
from .image_review_state import ImageReviewState
from .image_review_state_decision import ImageReviewStateDecision
from .job_accepted import JobAccepted
from .job_page import JobPage
from .job_phase import JobPhase
from .job_public import JobPublic
from .job_public_aspect_ratio_type_0 import JobPublicAspectRatioType0
from .job_status import JobStatus
from .library_image import LibraryImage
from .library_page import LibraryPage
from .me import Me
from .model_info import ModelInfo
from .model_info_scheduler_config_type_0 import ModelInfoSchedulerConfigType0
from .progress import Progress
from .recipe import Recipe
from .recipe_check import RecipeCheck
from .recipe_scheduler_config import RecipeSchedulerConfig
from .regenerate_accepted import RegenerateAccepted
from .review_record import ReviewRecord
from .review_record_decision import ReviewRecordDecision
from .review_request import ReviewRequest
from .review_request_decision import ReviewRequestDecision
from .runner_status import RunnerStatus
from .sign_in_config import SignInConfig
from .style_info import StyleInfo
from .token_create import TokenCreate
from .token_created import TokenCreated
from .token_policy import TokenPolicy
from .token_public import TokenPublic

__all__ = (
    "AuditEventPublic",
    "AuditPage",
    "BrandColor",
    "BrandMatch",
    "ContentCredentials",
    "ContentCredentialsState",
    "EntraClientConfig",
    "ErrorBody",
    "ErrorDetail",
    "FieldError",
    "GenerateRequest",
    "GenerateRequestAspectRatioType0",
    "Health",
    "HealthContentCredentials",
    "ImagePublic",
    "ImageReviewState",
    "ImageReviewStateDecision",
    "JobAccepted",
    "JobPage",
    "JobPhase",
    "JobPublic",
    "JobPublicAspectRatioType0",
    "JobStatus",
    "LibraryImage",
    "LibraryPage",
    "Me",
    "ModelInfo",
    "ModelInfoSchedulerConfigType0",
    "Progress",
    "Recipe",
    "RecipeCheck",
    "RecipeSchedulerConfig",
    "RegenerateAccepted",
    "ReviewRecord",
    "ReviewRecordDecision",
    "ReviewRequest",
    "ReviewRequestDecision",
    "RunnerStatus",
    "SignInConfig",
    "StyleInfo",
    "TokenCreate",
    "TokenCreated",
    "TokenPolicy",
    "TokenPublic",
)
