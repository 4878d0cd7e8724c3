# The Container Apps environment and the product's three workloads, all from one image:
# - the GPU runners (`service:Runner`) on a dedicated GPU workload profile, internal ingress only;
# - the API replicas (`service:Api`) on the consumption profile, external ingress (behind Front Door);
# - the migrate step (`python -m jobs.migrate`), a Container Apps Job in migrate.tf that terraform
#   runs to completion before either app gets a revision of a new image.

locals {
  gpu_profile = "gpu"
  # Every secret an app holds is a reference to Key Vault, read with the apps' identity.
  api_secrets     = concat(["database-url", "link-secret"], var.graph_client_id == "" ? [] : ["graph-client-secret"])
  runner_secrets  = ["database-url"]
  migrate_secrets = ["database-url"]

  api_public_url = "https://${azurerm_cdn_frontdoor_endpoint.api.host_name}"
  web_public_url = "https://${azurerm_cdn_frontdoor_endpoint.web.host_name}"
  storage_url    = trimsuffix(azurerm_storage_account.images.primary_blob_endpoint, "/")
}

resource "azurerm_container_app_environment" "main" {
  name                       = "cae-${var.name}"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  infrastructure_subnet_id   = azurerm_subnet.apps.id
  # The API is reached through its public ingress (Front Door in front); the runners have
  # internal ingress only, so they are reachable from inside the environment alone.
  internal_load_balancer_enabled     = false
  infrastructure_resource_group_name = "rg-${var.name}-cae-infra"

  # The consumption profile runs the API replicas and the migrate step. It takes no
  # minimum/maximum count (Azure refuses them: WorkloadProfilePropertyNotSupported).
  workload_profile {
    name                  = "Consumption"
    workload_profile_type = "Consumption"
  }

  # The runners' GPUs. A dedicated profile, not a serverless Consumption-GPU-* one: azurerm
  # (4.x and 5.x so far) sends MinimumCount/MaximumCount for every non-"Consumption" profile and
  # Azure refuses them for serverless GPU profiles (hashicorp/terraform-provider-azurerm#31763,
  # fix proposed in #32242). README.md, "GPU workload profiles", has the azapi workaround.
  workload_profile {
    name                  = local.gpu_profile
    workload_profile_type = var.gpu_workload_profile_type
    minimum_count         = var.runner_min_replicas
    maximum_count         = var.gpu_nodes_max
  }

  tags = local.tags
}

# --- GPU runners -------------------------------------------------------------------------------

resource "azurerm_container_app" "runner" {
  name                         = "ca-${var.name}-runner"
  resource_group_name          = azurerm_resource_group.main.name
  container_app_environment_id = azurerm_container_app_environment.main.id
  revision_mode                = "Single"
  workload_profile_name        = local.gpu_profile

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  dynamic "secret" {
    for_each = toset(local.runner_secrets)
    content {
      name                = secret.value
      identity            = azurerm_user_assigned_identity.app.id
      key_vault_secret_id = azurerm_key_vault_secret.app[secret.value].versionless_id
    }
  }

  dynamic "registry" {
    for_each = var.container_registry_server == "" ? [] : [var.container_registry_server]
    content {
      server   = registry.value
      identity = azurerm_user_assigned_identity.app.id
    }
  }

  # Internal only: the API replicas are the runners' one client, and any runner may take any
  # call, so one address in front of all of them is what BAG_RUNNER_URL needs.
  ingress {
    external_enabled           = false
    target_port                = 3000
    transport                  = "http"
    allow_insecure_connections = false

    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  template {
    min_replicas = var.runner_min_replicas
    max_replicas = var.runner_max_replicas
    # A runner finishing its batch on SIGTERM (a new revision, a scale-in) gets this long.
    termination_grace_period_seconds = 300

    http_scale_rule {
      name                = "render-calls"
      concurrent_requests = "16"
    }

    container {
      name   = "runner"
      image  = var.image
      args   = var.runner_args
      cpu    = var.runner_cpu
      memory = var.runner_memory

      env {
        name        = "BAG_DATABASE_URL"
        secret_name = "database-url"
      }
      # Several runners behind one address share their runs' progress and cancels in PostgreSQL.
      env {
        name  = "BAG_RUNNER_STATE"
        value = "database"
      }

      dynamic "env" {
        for_each = var.runner_settings
        content {
          name  = env.key
          value = env.value
        }
      }

      # Loading the models takes minutes with real weights: up to 10 x 30 s before it counts as failed.
      startup_probe {
        transport               = "HTTP"
        port                    = 3000
        path                    = "/livez"
        interval_seconds        = 30
        failure_count_threshold = 10
      }

      liveness_probe {
        transport = "HTTP"
        port      = 3000
        path      = "/livez"
      }

      readiness_probe {
        transport = "HTTP"
        port      = 3000
        path      = "/readyz"
      }
    }
  }

  tags = local.tags

  depends_on = [terraform_data.migrate, azurerm_role_assignment.app_secrets_user]
}

# --- API replicas ------------------------------------------------------------------------------

resource "azurerm_container_app" "api" {
  name                         = "ca-${var.name}-api"
  resource_group_name          = azurerm_resource_group.main.name
  container_app_environment_id = azurerm_container_app_environment.main.id
  revision_mode                = "Single"
  workload_profile_name        = "Consumption"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  dynamic "secret" {
    for_each = toset(local.api_secrets)
    content {
      name                = secret.value
      identity            = azurerm_user_assigned_identity.app.id
      key_vault_secret_id = azurerm_key_vault_secret.app[secret.value].versionless_id
    }
  }

  dynamic "registry" {
    for_each = var.container_registry_server == "" ? [] : [var.container_registry_server]
    content {
      server   = registry.value
      identity = azurerm_user_assigned_identity.app.id
    }
  }

  ingress {
    external_enabled           = true
    target_port                = 3000
    transport                  = "http"
    allow_insecure_connections = false

    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  template {
    min_replicas = var.api_min_replicas
    max_replicas = var.api_max_replicas
    # A replica hands its in-flight jobs back on SIGTERM (docs/operations.md); seconds suffice.
    termination_grace_period_seconds = 60

    http_scale_rule {
      name                = "requests"
      concurrent_requests = "100"
    }

    container {
      name   = "api"
      image  = var.image
      args   = var.api_args
      cpu    = 1
      memory = "2Gi"

      env {
        name        = "BAG_DATABASE_URL"
        secret_name = "database-url"
      }
      # The migrate step has brought the schema up to date; a replica refuses an old one.
      env {
        name  = "BAG_MIGRATE_ON_START"
        value = "false"
      }
      env {
        name  = "BAG_RUNNER_URL"
        value = "https://${azurerm_container_app.runner.ingress[0].fqdn}"
      }
      env {
        name  = "BAG_STORAGE"
        value = "azure"
      }
      env {
        name  = "BAG_AZURE_STORAGE_ACCOUNT_URL"
        value = local.storage_url
      }
      env {
        name  = "BAG_AZURE_STORAGE_CONTAINER"
        value = azurerm_storage_container.images.name
      }
      # DefaultAzureCredential picks the user-assigned identity by its client id.
      env {
        name  = "AZURE_CLIENT_ID"
        value = azurerm_user_assigned_identity.app.client_id
      }
      env {
        name        = "BAG_LINK_SECRET"
        secret_name = "link-secret"
      }
      env {
        name  = "BAG_RETENTION_DAYS"
        value = tostring(var.retention_days)
      }
      env {
        name  = "BAG_RUNNER_STATE"
        value = "database"
      }
      env {
        name  = "BAG_PUBLIC_URL"
        value = local.api_public_url
      }
      env {
        name  = "BAG_CORS_ORIGINS"
        value = jsonencode(concat([local.web_public_url], var.web_origins))
      }
      env {
        name  = "BAG_ENTRA_TENANT_ID"
        value = var.entra_tenant_id
      }
      env {
        name  = "BAG_ENTRA_AUDIENCE"
        value = jsonencode(var.entra_audience)
      }
      env {
        name  = "BAG_WEB_CLIENT_ID"
        value = var.web_client_id
      }

      dynamic "env" {
        for_each = var.graph_client_id == "" ? [] : [var.graph_client_id]
        content {
          name  = "BAG_GRAPH_CLIENT_ID"
          value = env.value
        }
      }
      dynamic "env" {
        for_each = var.graph_client_id == "" ? [] : ["graph-client-secret"]
        content {
          name        = "BAG_GRAPH_CLIENT_SECRET"
          secret_name = env.value
        }
      }
      dynamic "env" {
        for_each = var.api_settings
        content {
          name  = env.key
          value = env.value
        }
      }

      liveness_probe {
        transport = "HTTP"
        port      = 3000
        path      = "/livez"
      }

      readiness_probe {
        transport = "HTTP"
        port      = 3000
        path      = "/readyz"
      }
    }
  }

  tags = local.tags

  depends_on = [
    terraform_data.migrate,
    azurerm_role_assignment.app_secrets_user,
    azurerm_role_assignment.app_blob_data_contributor,
    azurerm_role_assignment.app_blob_delegator,
  ]
}
