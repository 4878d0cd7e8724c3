variable "subscription_id" {
  description = "Azure subscription to deploy into."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name (lowercase letters and digits; storage and Key Vault names are global, so a suffix is added to those)."
  type        = string
  default     = "bag"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.name))
    error_message = "name must be 2-12 lowercase letters or digits, starting with a letter."
  }
}

variable "location" {
  description = "Region of everything but the static web app. It must offer the GPU workload profile chosen below (check the Container Apps GPU region list)."
  type        = string
  default     = "swedencentral"
}

variable "static_web_app_location" {
  description = "Region of the Static Web App's control plane (Static Web Apps exist in a few regions only; content is served globally)."
  type        = string
  default     = "westeurope"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

# --- The image -----------------------------------------------------------------------------------

variable "image" {
  description = "The product's image (one image for both roles), e.g. myregistry.azurecr.io/brand-asset-generator:1.4.0."
  type        = string
}

variable "container_registry_server" {
  description = "Login server of the registry holding the image (e.g. myregistry.azurecr.io); empty for a public image. Pulled with the apps' managed identity."
  type        = string
  default     = ""
}

variable "container_registry_id" {
  description = "Resource id of that Azure Container Registry; when set, the identity is given AcrPull on it. Null: grant it yourself."
  type        = string
  default     = null
}

# The image's own entrypoint serves the Bento from /home/bentoml/bento; one service of it is served
# from the source the Bento carries, in src/ (BentoML 1.4 has no option to pick a service of a Bento).
variable "api_args" {
  description = "Arguments that make the image an API replica."
  type        = list(string)
  default     = ["bentoml", "serve", "service:Api", "--working-dir", "/home/bentoml/bento/src", "--port", "3000"]
}

variable "runner_args" {
  description = "Arguments that make the image a GPU runner."
  type        = list(string)
  default     = ["bentoml", "serve", "service:Runner", "--working-dir", "/home/bentoml/bento/src", "--port", "3000"]
}

variable "migrate_args" {
  description = "Arguments of the migrate step (run once per release, before the API's new revision)."
  type        = list(string)
  default     = ["sh", "-c", "cd /home/bentoml/bento/src && exec python -m jobs.migrate"]
}

# --- GPU runners ---------------------------------------------------------------------------------

variable "gpu_workload_profile_type" {
  description = "Dedicated GPU workload profile of the runners. Serverless GPU types (Consumption-GPU-*) fail with this provider; see README.md, 'GPU workload profiles'."
  type        = string
  default     = "NC24-A100"

  validation {
    condition     = contains(["NC24-A100", "NC48-A100", "NC96-A100"], var.gpu_workload_profile_type)
    error_message = "Use a dedicated GPU profile (NC24-A100, NC48-A100, NC96-A100): azurerm sends MinimumCount/MaximumCount for Consumption-GPU-* profiles, which Azure refuses (README.md)."
  }
}

variable "gpu_nodes_max" {
  description = "Most GPU nodes of the profile (one runner per GPU: an NC24-A100 node has one GPU)."
  type        = number
  default     = 2
}

variable "runner_min_replicas" {
  description = "Runners kept up when idle: 1 keeps one warm; 0 would let the GPUs scale to nothing, but every API replica asks a runner's health every 10 s, which counts as traffic and keeps one up anyway (README.md, 'Scale to zero')."
  type        = number
  default     = 1

  validation {
    condition     = contains([0, 1], var.runner_min_replicas)
    error_message = "runner_min_replicas is 0 or 1."
  }
}

variable "runner_max_replicas" {
  description = "Most runners (at most one per GPU the profile can give)."
  type        = number
  default     = 2
}

variable "runner_cpu" {
  description = "vCPUs of a runner (within the GPU profile's node)."
  type        = number
  default     = 22
}

variable "runner_memory" {
  description = "Memory of a runner, e.g. 200Gi (within the GPU profile's node)."
  type        = string
  default     = "200Gi"
}

variable "runner_settings" {
  description = "Further BAG_* settings of the runners, e.g. {BAG_MODELS = jsonencode([{family = \"flux\", path = \"/weights/FLUX.1-dev\"}])}: which models they hold (docs/operations.md)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.runner_settings) : can(regex("^BAG_[A-Z0-9_]+$", k))])
    error_message = "runner_settings holds BAG_* settings only; secrets go through Key Vault."
  }

  validation {
    condition     = length(setintersection(keys(var.runner_settings), ["BAG_DATABASE_URL", "BAG_RUNNER_STATE"])) == 0
    error_message = "runner_settings may not repeat a setting terraform gives the runners itself (README.md lists them)."
  }
}

# --- API replicas --------------------------------------------------------------------------------

variable "api_min_replicas" {
  description = "API replicas kept up (2 survives the loss of one)."
  type        = number
  default     = 2
}

variable "api_max_replicas" {
  description = "Most API replicas."
  type        = number
  default     = 6
}

variable "api_settings" {
  description = "Further BAG_* settings of the API replicas (limits, link lifetime, ...; docs/operations.md)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.api_settings) : can(regex("^BAG_[A-Z0-9_]+$", k))])
    error_message = "api_settings holds BAG_* settings only; secrets go through Key Vault."
  }

  validation {
    condition = length(setintersection(keys(var.api_settings), [
      "BAG_DATABASE_URL", "BAG_MIGRATE_ON_START", "BAG_RUNNER_URL", "BAG_STORAGE", "BAG_AZURE_STORAGE_ACCOUNT_URL",
      "BAG_AZURE_STORAGE_CONTAINER", "BAG_LINK_SECRET", "BAG_RETENTION_DAYS", "BAG_RUNNER_STATE", "BAG_PUBLIC_URL",
      "BAG_CORS_ORIGINS", "BAG_ENTRA_TENANT_ID", "BAG_ENTRA_AUDIENCE", "BAG_WEB_CLIENT_ID", "BAG_GRAPH_CLIENT_ID",
      "BAG_GRAPH_CLIENT_SECRET",
    ])) == 0
    error_message = "api_settings may not repeat a setting terraform gives the API itself (README.md lists them)."
  }
}

variable "retention_days" {
  description = "Days images and job records are kept: the API's sweeper (BAG_RETENTION_DAYS) and the storage lifecycle rule, which deletes any blob it missed."
  type        = number
  default     = 30
}

# --- Sign-in (docs/sign-in.md) -------------------------------------------------------------------

variable "entra_tenant_id" {
  description = "Directory (tenant) id for Microsoft Entra ID sign-in (BAG_ENTRA_TENANT_ID)."
  type        = string
}

variable "entra_audience" {
  description = "Accepted token audiences (BAG_ENTRA_AUDIENCE): the API's application id URI and client id."
  type        = list(string)
}

variable "web_client_id" {
  description = "Client id of the web app's own app registration (BAG_WEB_CLIENT_ID); empty: no Microsoft sign-in in the web app."
  type        = string
  default     = ""
}

variable "graph_client_id" {
  description = "Client id used for Graph re-checks of token owners (BAG_GRAPH_CLIENT_ID); empty: owners re-confirm by signing in."
  type        = string
  default     = ""
}

variable "graph_client_secret" {
  description = "Its client secret; kept in Key Vault and given to the API as a Key Vault reference."
  type        = string
  default     = ""
  sensitive   = true
}

variable "web_origins" {
  description = "Extra origins of the web app (custom domains) for BAG_CORS_ORIGINS; the Front Door web endpoint is always included."
  type        = list(string)
  default     = []
}

# --- Network and data ----------------------------------------------------------------------------

variable "vnet_address_space" {
  description = "Address space of the virtual network the apps and the database live in."
  type        = string
  default     = "10.40.0.0/16"
}

variable "operator_ip_ranges" {
  description = "Public addresses (CIDR) of whoever runs terraform: Key Vault refuses every other network, and terraform writes the secrets into it."
  type        = list(string)
}

variable "postgres_sku" {
  description = "SKU of the PostgreSQL flexible server."
  type        = string
  default     = "GP_Standard_D2ds_v5"
}

variable "postgres_storage_mb" {
  description = "Storage of the PostgreSQL flexible server in MB."
  type        = number
  default     = 65536
}

variable "postgres_high_availability" {
  description = "Zone-redundant standby for the database (doubles its cost)."
  type        = bool
  default     = false
}

variable "front_door_sku" {
  description = "Standard_AzureFrontDoor or Premium_AzureFrontDoor (Premium adds the managed WAF rule sets)."
  type        = string
  default     = "Premium_AzureFrontDoor"

  validation {
    condition     = contains(["Standard_AzureFrontDoor", "Premium_AzureFrontDoor"], var.front_door_sku)
    error_message = "front_door_sku is Standard_AzureFrontDoor or Premium_AzureFrontDoor."
  }
}

variable "storage_replication_type" {
  description = "Replication of the image store (GZRS: zone- and geo-redundant)."
  type        = string
  default     = "GZRS"
}
