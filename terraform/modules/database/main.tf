locals {
  name = "${var.service}-${var.environment}"

  sizes = {
    small  = { instance_class = "db.t4g.micro", allocated_storage = 20, max_allocated_storage = 100 }
    medium = { instance_class = "db.m7g.large", allocated_storage = 100, max_allocated_storage = 500 }
    large  = { instance_class = "db.r7g.xlarge", allocated_storage = 500, max_allocated_storage = 2500 }
  }
  size = local.sizes[var.size]

  tags = {
    Service     = var.service
    Owner       = var.owner
    CostCenter  = var.cost_center
    Environment = var.environment
  }
}

resource "aws_db_instance" "this" {
  identifier     = local.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = local.size.instance_class

  allocated_storage     = local.size.allocated_storage
  max_allocated_storage = local.size.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name  = replace(var.service, "-", "_")
  username = "app_admin"
  # RDS generates the master password and keeps it in Secrets Manager, rotated there:
  # it is never a Terraform variable, output or plan value.
  manage_master_user_password         = true
  iam_database_authentication_enabled = true

  multi_az               = var.environment == "production"
  db_subnet_group_name   = var.db_subnet_group_name
  vpc_security_group_ids = var.vpc_security_group_ids
  publicly_accessible    = false

  backup_retention_period    = 7
  copy_tags_to_snapshot      = true
  deletion_protection        = true
  skip_final_snapshot        = false
  final_snapshot_identifier  = "${local.name}-final"
  auto_minor_version_upgrade = true

  tags = local.tags
}
