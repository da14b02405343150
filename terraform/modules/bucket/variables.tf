variable "service" {
  description = "Name of the service the bucket belongs to (its catalog name, a DNS-1123 label); names the bucket, and is the Service tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.service))
    error_message = "service must be a DNS-1123 label: 1 to 63 lowercase letters, digits and dashes, starting with a letter and not ending with a dash."
  }
}

variable "environment" {
  description = "Environment the bucket serves: development, staging or production."
  type        = string

  validation {
    condition     = contains(["development", "staging", "production"], var.environment)
    error_message = "environment must be development, staging or production."
  }
}

variable "owner" {
  description = "Team that owns the bucket (the service's owner in the catalog, e.g. group:default/payments-team); the Owner tag."
  type        = string

  validation {
    condition     = can(regex("^[\\p{L}\\p{N}_.:/=+@ -]{1,256}$", var.owner))
    error_message = "owner must be 1 to 256 letters, digits, spaces and _ . : / = + - @ (an AWS tag value)."
  }
}

variable "cost_center" {
  description = "Finance cost center the bucket is billed to, e.g. CC-1001; the CostCenter tag."
  type        = string

  validation {
    condition     = can(regex("^[\\p{L}\\p{N}_.:/=+@ -]{1,256}$", var.cost_center))
    error_message = "cost_center must be 1 to 256 letters, digits, spaces and _ . : / = + - @ (an AWS tag value)."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days an overwritten or deleted object version is kept before it expires."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number from 1 to 3650."
  }
}

variable "kms_key_arn" {
  description = "KMS key to encrypt objects with; null for S3-managed keys (SSE-S3)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key or alias."
  }
}
