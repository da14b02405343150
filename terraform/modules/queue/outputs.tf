output "url" {
  description = "URL of the queue, for the service's SQS client."
  value       = aws_sqs_queue.this.url
}

output "arn" {
  description = "ARN of the queue, for IAM policies."
  value       = aws_sqs_queue.this.arn
}

output "dead_letter_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.url
}

output "dead_letter_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.arn
}
