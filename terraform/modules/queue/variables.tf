variable "service" {
  description = "Name of the service the queue belongs to (its catalog name, a DNS-1123 label); names the queue, and is the Service tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.service))
    error_message = "service must be a DNS-1123 label: 1 to 63 lowercase letters, digits and dashes, starting with a letter and not ending with a dash."
  }
}

variable "environment" {
  description = "Environment the queue serves: development, staging or production."
  type        = string

  validation {
    condition     = contains(["development", "staging", "production"], var.environment)
    error_message = "environment must be development, staging or production."
  }
}

variable "owner" {
  description = "Team that owns the queue (the service's owner in the catalog, e.g. group:default/payments-team); the Owner tag."
  type        = string

  validation {
    condition     = can(regex("^[\\p{L}\\p{N}_.:/=+@ -]{1,256}$", var.owner))
    error_message = "owner must be 1 to 256 letters, digits, spaces and _ . : / = + - @ (an AWS tag value)."
  }
}

variable "cost_center" {
  description = "Finance cost center the queue is billed to, e.g. CC-1001; the CostCenter tag."
  type        = string

  validation {
    condition     = can(regex("^[\\p{L}\\p{N}_.:/=+@ -]{1,256}$", var.cost_center))
    error_message = "cost_center must be 1 to 256 letters, digits, spaces and _ . : / = + - @ (an AWS tag value)."
  }
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays hidden from other consumers, in seconds: longer than the consumer takes to handle one."
  type        = number
  default     = 30

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200 && floor(var.visibility_timeout_seconds) == var.visibility_timeout_seconds
    error_message = "visibility_timeout_seconds must be a whole number from 0 to 43200 (12 hours)."
  }
}

variable "message_retention_seconds" {
  description = "How long an unhandled message is kept, in seconds (the dead-letter queue keeps its messages 14 days)."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600 && floor(var.message_retention_seconds) == var.message_retention_seconds
    error_message = "message_retention_seconds must be a whole number from 60 to 1209600 (14 days)."
  }
}

variable "max_receive_count" {
  description = "How many times a message is received without being deleted before it moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 1 to 1000."
  }
}
