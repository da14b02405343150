package handler

import (
	"context"
	"io"
	"testing"

	"github.com/${{ values.repoSlug }}/internal/logging"
	"github.com/${{ values.repoSlug }}/internal/queue"
)

func TestHandle(t *testing.T) {
	h := New(logging.New(io.Discard, "test-service", logging.LevelDebug))
	cases := []struct {
		body    string
		wantErr bool
	}{
		{`{"type":"invoice.created","id":"42"}`, false},
		{`{"id":"42"}`, true},
		{`not json`, true},
		{``, true},
	}
	for _, c := range cases {
		err := h.Handle(context.Background(), queue.Message{ID: "m", Body: []byte(c.body)})
		if (err != nil) != c.wantErr {
			t.Errorf("Handle(%q) = %v, wantErr %v", c.body, err, c.wantErr)
		}
	}
}
