# Pinned so that a plan made today is the plan made next month. azurerm 4.55 is the first release
# whose container_app_environment accepts the GPU workload profile types (NC24-A100 and friends);
# 4.42 added key_vault.rbac_authorization_enabled. Providers cannot be downloaded on the machines
# this repository is tested on, so `terraform init` (and the lock file it writes) happens on the
# operator's machine: commit the .terraform.lock.hcl it makes.
terraform {
  required_version = ">= 1.6.0, < 2.0.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.57"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }
}

provider "azurerm" {
  subscription_id = var.subscription_id

  # The storage account has shared-key access turned off, so the provider must reach its data
  # plane (the container, the lifecycle rule) with Entra ID tokens, not account keys.
  storage_use_azuread = true

  features {
    key_vault {
      # Purge protection is on: a destroyed vault stays recoverable for its retention period.
      purge_soft_delete_on_destroy = false
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}
