# The migrate step (`python -m jobs.migrate`, docs/scaling.md): a manually started Container Apps
# Job that terraform runs to completion before the runners and the API get a revision of a new
# image, so replicas (BAG_MIGRATE_ON_START=false) always start on an up-to-date schema.

resource "azurerm_container_app_job" "migrate" {
  name                         = "job-${var.name}-migrate"
  location                     = azurerm_resource_group.main.location
  resource_group_name          = azurerm_resource_group.main.name
  container_app_environment_id = azurerm_container_app_environment.main.id
  workload_profile_name        = "Consumption"
  replica_timeout_in_seconds   = 900
  # A failed migration is looked at, not retried blindly; a second run would find the same cause.
  replica_retry_limit = 0

  manual_trigger_config {
    parallelism              = 1
    replica_completion_count = 1
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  dynamic "secret" {
    for_each = toset(local.migrate_secrets)
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

  template {
    container {
      name   = "migrate"
      image  = var.image
      args   = var.migrate_args
      cpu    = 0.5
      memory = "1Gi"

      env {
        name        = "BAG_DATABASE_URL"
        secret_name = "database-url"
      }
    }
  }

  tags = local.tags

  depends_on = [azurerm_role_assignment.app_secrets_user, azurerm_role_assignment.app_acr_pull]
}

# Terraform has no resource that runs a job (hashicorp/terraform-provider-azurerm#26885), so the
# Azure CLI starts it and waits for it; the apply stops here if the migration failed, before the
# runners and the API get the new image. Replaced, and so run again, whenever the image changes.
resource "terraform_data" "migrate" {
  triggers_replace = [var.image, azurerm_container_app_job.migrate.id]

  provisioner "local-exec" {
    command = "bash ${path.module}/scripts/run-migrate.sh"
    environment = {
      RESOURCE_GROUP = azurerm_resource_group.main.name
      JOB_NAME       = azurerm_container_app_job.migrate.name
    }
  }

  depends_on = [
    azurerm_postgresql_flexible_server_database.bag,
    azurerm_postgresql_flexible_server_configuration.require_tls,
  ]
}
