variable "service" {
  description = "Name of the service the database belongs to (its catalog name, a DNS-1123 label); names the instance and the database, and is the Service tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.service))
    error_message = "service must be a DNS-1123 label: 1 to 63 lowercase letters, digits and dashes, starting with a letter and not ending with a dash."
  }
}

variable "environment" {
  description = "Environment the database serves: development, staging or production. Production databases run in two availability zones."
  type        = string

  validation {
    condition     = contains(["development", "staging", "production"], var.environment)
    error_message = "environment must be development, staging or production."
  }
}

variable "size" {
  description = "small (db.t4g.micro, 20 GB), medium (db.m7g.large, 100 GB) or large (db.r7g.xlarge, 500 GB); storage grows by itself up to five times that."
  type        = string
  default     = "small"

  validation {
    condition     = contains(["small", "medium", "large"], var.size)
    error_message = "size must be small, medium or large."
  }
}

variable "owner" {
  description = "Team that owns the database (the service's owner in the catalog, e.g. group:default/payments-team); the Owner tag."
  type        = string

  validation {
    condition     = can(regex("^[\\p{L}\\p{N}_.:/=+@ -]{1,256}$", var.owner))
    error_message = "owner must be 1 to 256 letters, digits, spaces and _ . : / = + - @ (an AWS tag value)."
  }
}

variable "cost_center" {
  description = "Finance cost center the database is billed to, e.g. CC-1001; the CostCenter tag."
  type        = string

  validation {
    condition     = can(regex("^[\\p{L}\\p{N}_.:/=+@ -]{1,256}$", var.cost_center))
    error_message = "cost_center must be 1 to 256 letters, digits, spaces and _ . : / = + - @ (an AWS tag value)."
  }
}

variable "engine_version" {
  description = "PostgreSQL major (or major.minor) version; minor upgrades are applied automatically."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^[0-9]{2}(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be a PostgreSQL version such as 16 or 16.4."
  }
}

variable "db_subnet_group_name" {
  description = "DB subnet group of the VPC the database goes into; null for the account's default VPC."
  type        = string
  default     = null

  validation {
    condition     = var.db_subnet_group_name == null || can(regex("^[a-zA-Z0-9 ._-]{1,255}$", var.db_subnet_group_name))
    error_message = "db_subnet_group_name must be the name of a DB subnet group (letters, digits, spaces, . _ -)."
  }
}

variable "vpc_security_group_ids" {
  description = "Security groups that may reach the database; empty for the VPC's default security group."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.vpc_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "vpc_security_group_ids must hold security group ids such as sg-0123456789abcdef0."
  }
}
