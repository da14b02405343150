// Package queue defines the Queue the worker consumes, and Memory, an
// in-memory implementation for tests and local runs.
//
// # Plugging in a real queue
//
// Implement Queue in a new file of this package and construct it in main.go
// in place of NewMemory. For Amazon SQS (github.com/aws/aws-sdk-go-v2/service/sqs):
//
//   - Receive calls ReceiveMessage with WaitTimeSeconds 20 (long polling) and
//     MaxNumberOfMessages 1, and returns ok == false when the poll ends
//     without a message. Message.ID is the MessageId, Receipt the
//     ReceiptHandle, ReceiveCount the ApproximateReceiveCount attribute.
//   - Ack calls DeleteMessage with the receipt handle.
//   - Nack calls ChangeMessageVisibility with the receipt handle and a
//     VisibilityTimeout of 0 (or a backoff), so the message is redelivered.
//   - A redrive policy with maxReceiveCount on the queue moves messages that
//     keep failing to a dead-letter queue; Memory imitates it with MaxReceives.
//   - The queue's visibility timeout must exceed the worker's handler
//     timeout, or a slow message is delivered twice.
//
// Delivery is at least once with every such queue: handlers must be idempotent.
package queue

import (
	"context"
	"errors"
)

// Message is one delivery of a message.
type Message struct {
	// ID identifies the message across deliveries; safe to log.
	ID string
	// Body is the payload. Never log it: it may hold personal data.
	Body []byte
	// Attributes are the message's metadata, e.g. a content type.
	Attributes map[string]string
	// ReceiveCount is how many times the message has been delivered,
	// this delivery included.
	ReceiveCount int
	// Receipt identifies this delivery for Ack and Nack.
	Receipt string
}

// Queue is a source of messages with explicit acknowledgement.
type Queue interface {
	// Receive waits for the next message. It returns ok == false and a nil
	// error when no message arrived before its poll ended (the caller polls
	// again), and ctx.Err() once ctx is done.
	Receive(ctx context.Context) (msg Message, ok bool, err error)
	// Ack reports that the message was processed; the queue deletes it.
	Ack(ctx context.Context, msg Message) error
	// Nack reports that processing failed; the queue delivers it again.
	Nack(ctx context.Context, msg Message) error
}

// ErrUnknownReceipt is returned for an Ack or Nack of a delivery the queue
// no longer holds: acknowledged already, or redelivered since.
var ErrUnknownReceipt = errors.New("queue: unknown receipt")
