// Package handler is the worker's business logic: what to do with one
// message. Replace the example with yours.
package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/queue"
)

// Handler handles the messages of the queue.
type Handler struct {
	log *logging.Logger
}

// New returns the handler.
func New(logger *logging.Logger) *Handler {
	return &Handler{log: logger}
}

// job is the example message body: {"type": "...", ...}.
type job struct {
	Type string `json:"type"`
}

// Handle implements worker.Handler. Returning an error nacks the message; the
// queue redelivers it and finally dead-letters it, so an error that retrying
// cannot fix (like a malformed body) still ends up in the dead-letter queue
// where someone can look at it.
func (h *Handler) Handle(ctx context.Context, msg queue.Message) error {
	var j job
	if err := json.Unmarshal(msg.Body, &j); err != nil {
		return fmt.Errorf("decoding the message body: %w", err)
	}
	if j.Type == "" {
		return errors.New("the message body has no type")
	}
	// Do the work here, passing ctx to every call that can block: it carries
	// the handler timeout.
	h.log.Debug("handled job", "messageId", msg.ID, "type", j.Type)
	return nil
}
