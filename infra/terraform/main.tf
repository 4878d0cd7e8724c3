# The resource group, the logs, and the one identity every part of the product runs as.

data "azurerm_client_config" "current" {}

resource "random_string" "suffix" {
  length  = 5
  lower   = true
  upper   = false
  numeric = true
  special = false
}

locals {
  # Storage account and Key Vault names are global: a suffix keeps two deployments apart.
  global_name = "${var.name}${random_string.suffix.result}"
  tags        = merge({ product = "brand-asset-generator" }, var.tags)
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${var.name}"
  location = var.location
  tags     = local.tags
}

resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-${var.name}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  sku                 = "PerGB2018"
  retention_in_days   = 30
  tags                = local.tags
}

# One user-assigned identity for the API replicas, the runners and the migrate step. The API
# reaches Blob Storage with it (DefaultAzureCredential picks it through AZURE_CLIENT_ID) and signs
# links with user-delegation keys; Container Apps reads the Key Vault references and pulls the
# image with it. The runners need no storage role, but sharing one identity keeps the Key Vault
# grant in one place; split it if your policy wants the runners to hold nothing.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-${var.name}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_role_assignment" "app_acr_pull" {
  count                = var.container_registry_id == null ? 0 : 1
  scope                = var.container_registry_id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}
