# Blob Storage for the images. Browsers and tools fetch images through user-delegation SAS links
# straight from the blob endpoint, so the endpoint is reachable from the internet, but only with
# a link: no anonymous access, no account keys at all (shared-key access off), TLS 1.2 at least.

resource "azurerm_storage_account" "images" {
  name                     = "st${local.global_name}"
  location                 = azurerm_resource_group.main.location
  resource_group_name      = azurerm_resource_group.main.name
  account_kind             = "StorageV2"
  account_tier             = "Standard"
  account_replication_type = var.storage_replication_type

  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = false
  default_to_oauth_authentication   = true
  local_user_enabled                = false
  infrastructure_encryption_enabled = true
  # The SAS links are the product's way of handing out images: browsers must reach the endpoint.
  public_network_access_enabled = true

  blob_properties {
    # Deleted blobs (a user's delete, the 30-day sweep) can be recovered for a week, then go.
    delete_retention_policy {
      days = 7
    }
    container_delete_retention_policy {
      days = 7
    }
  }

  # Account-key SAS cannot be made (shared keys are off); this only logs any SAS asked to live
  # longer than the product's links (24 hours, rounded up to the hour) would.
  sas_policy {
    expiration_period = "1.02:00:00"
    expiration_action = "Log"
  }

  tags = local.tags
}

resource "azurerm_storage_container" "images" {
  name                  = "images"
  storage_account_id    = azurerm_storage_account.images.id
  container_access_type = "private"
}

# A backstop for the API's own sweeper (which deletes a job's rows and blobs at
# BAG_RETENTION_DAYS): whatever it missed is deleted by the storage service itself.
resource "azurerm_storage_management_policy" "images" {
  storage_account_id = azurerm_storage_account.images.id

  rule {
    name    = "delete-images-after-retention"
    enabled = true

    filters {
      prefix_match = ["${azurerm_storage_container.images.name}/"]
      blob_types   = ["blockBlob"]
    }

    actions {
      base_object {
        delete_after_days_since_creation_greater_than = var.retention_days
      }
    }
  }
}

# The API writes, reads and deletes blobs, and signs links with user-delegation keys.
resource "azurerm_role_assignment" "app_blob_data_contributor" {
  scope                = azurerm_storage_account.images.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_assignment" "app_blob_delegator" {
  scope                = azurerm_storage_account.images.id
  role_definition_name = "Storage Blob Delegator"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

# Every read, write and delete of a blob, in the Log Analytics workspace (who fetched which image
# through which link, and when).
resource "azurerm_monitor_diagnostic_setting" "blob" {
  name                       = "blob-access"
  target_resource_id         = "${azurerm_storage_account.images.id}/blobServices/default"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "StorageRead"
  }
  enabled_log {
    category = "StorageWrite"
  }
  enabled_log {
    category = "StorageDelete"
  }
}
