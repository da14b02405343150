package main

import (
	"net/http"
	"regexp"
	"testing"
	"time"
)

// The name appears in every log line; the golden path renders it from a
// DNS-1123 label.
func TestServiceNameIsADNSLabel(t *testing.T) {
	if !regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`).MatchString(serviceName) {
		t.Errorf("serviceName %q is not a DNS-1123 label", serviceName)
	}
}

// waitFor polls url until it answers want or 5 seconds pass, and returns the
// last status.
func waitFor(t *testing.T, url string, want int) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(url)
		code := 0
		if err == nil {
			resp.Body.Close()
			code = resp.StatusCode
		}
		if code == want || time.Now().After(deadline) {
			return code
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// configCase is one environment for loadConfig: the config it gives (defaults
// changed by want) or an error.
type configCase struct {
	name    string
	env     map[string]string
	want    func(c *config)
	wantErr bool
}

// checkLoadConfig runs loadConfig on each case's environment.
func checkLoadConfig(t *testing.T, defaults config, cases []configCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := loadConfig(func(k string) string { return c.env[k] })
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, c.wantErr)
			}
			if c.wantErr {
				return
			}
			want := defaults
			c.want(&want)
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}
