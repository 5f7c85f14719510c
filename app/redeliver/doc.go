// Package redeliver closes the gap that durable recording cannot: GitHub
// never redelivers a webhook on its own, so deliveries sent while portico
// was down or unreachable would be lost. The sweeper lists the App's recent
// deliveries and asks GitHub to redeliver each one that never got a
// successful answer and that portico has not recorded.
package redeliver
