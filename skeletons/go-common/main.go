package main

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/${{ values.repoSlug }}/internal/logging"
)

const serviceName = "${{ values.name }}"

// main is the same for every kind of service; run.go holds what differs: the
// configuration (config, loadConfig) and what runs until a signal (run).
func main() {
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		logging.New(os.Stdout, serviceName, logging.LevelInfo).Error("invalid configuration", "err", err)
		os.Exit(1)
	}
	logger := logging.New(os.Stdout, serviceName, cfg.logLevel)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)

	ln, err := net.Listen("tcp", fmt.Sprintf(":%d", cfg.port))
	if err != nil {
		logger.Error("cannot listen", "port", cfg.port, "err", err)
		os.Exit(1)
	}
	if err := run(cfg, logger, ln, signals); err != nil {
		logger.Error("shutdown failed", "err", err)
		os.Exit(1)
	}
	logger.Info("stopped")
}

func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGINT:
		return "SIGINT"
	}
	return sig.String()
}

func integer(getenv func(string) string, name string, fallback, lo, hi int) (int, error) {
	raw := getenv(name)
	if raw == "" {
		return fallback, nil
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v < lo || v > hi {
		return 0, fmt.Errorf("%s must be an integer from %d to %d, got %q", name, lo, hi, raw)
	}
	return v, nil
}
