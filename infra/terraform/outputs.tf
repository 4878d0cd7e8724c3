output "api_url" {
  description = "Where users and tools reach the API (Front Door)."
  value       = local.api_public_url
}

output "web_url" {
  description = "Where users open the web app (Front Door); build the web app with VITE_API_URL = api_url."
  value       = local.web_public_url
}

output "api_origin_url" {
  description = "The API's own ingress behind Front Door; it answers Front Door alone (users go through api_url)."
  value       = "https://${azurerm_container_app.api.ingress[0].fqdn}"
}

output "runner_internal_url" {
  description = "The runners' one internal address (BAG_RUNNER_URL of the API replicas)."
  value       = "https://${azurerm_container_app.runner.ingress[0].fqdn}"
}

output "static_web_app_name" {
  description = "The Static Web App to publish frontend/dist to."
  value       = azurerm_static_web_app.web.name
}

output "static_web_app_deployment_token" {
  description = "Deployment token for publishing the web app (swa deploy --deployment-token)."
  value       = azurerm_static_web_app.web.api_key
  sensitive   = true
}

output "storage_account_url" {
  description = "The image store (BAG_AZURE_STORAGE_ACCOUNT_URL)."
  value       = local.storage_url
}

output "key_vault_name" {
  description = "The Key Vault holding the apps' secrets."
  value       = azurerm_key_vault.main.name
}

output "identity_client_id" {
  description = "Client id of the apps' user-assigned identity (AZURE_CLIENT_ID)."
  value       = azurerm_user_assigned_identity.app.client_id
}

output "migrate_job_name" {
  description = "The migrate step's Container Apps Job (az containerapp job start -n <this> -g <resource group>)."
  value       = azurerm_container_app_job.migrate.name
}

output "resource_group_name" {
  description = "The resource group holding everything."
  value       = azurerm_resource_group.main.name
}

# Static Web Apps reads its routing from staticwebapp.config.json in the published folder: every
# route without a file falls back to index.html (deep links such as /jobs/<id>), hashed assets are
# cached for a year, and only requests through this Front Door profile are served.
output "static_web_app_config" {
  description = "Write it to frontend/dist/staticwebapp.config.json before publishing the web app."
  value = jsonencode({
    navigationFallback = {
      rewrite = "/index.html"
      exclude = ["/assets/*"]
    }
    routes = [
      {
        route   = "/assets/*"
        headers = { "Cache-Control" = "public, max-age=31536000, immutable" }
      },
      {
        route   = "/index.html"
        headers = { "Cache-Control" = "no-cache" }
      },
    ]
    forwardingGateway = {
      requiredHeaders       = { "X-Azure-FDID" = azurerm_cdn_frontdoor_profile.main.resource_guid }
      allowedForwardedHosts = [azurerm_cdn_frontdoor_endpoint.web.host_name]
    }
  })
}
