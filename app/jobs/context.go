package jobs

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/riverqueue/river/rivertype"
)

// metadataDelivery is the key, in a River job's metadata, of the id of the
// delivery the job was inserted with. Metadata is not part of River's
// unique-by-args key, so it never splits or merges jobs.
const metadataDelivery = "portico_delivery"

// deliveryMetadata is the metadata of jobs inserted with delivery id.
func deliveryMetadata(id string) []byte {
	b, _ := json.Marshal(map[string]string{metadataDelivery: id}) // a map of strings always encodes
	return b
}

// deliveryFromMetadata returns the delivery id in a job's metadata, or ""
// for a job inserted without one (periodic jobs, follow-ups).
func deliveryFromMetadata(raw []byte) string {
	var m struct {
		Delivery string `json:"portico_delivery"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return ""
	}
	return m.Delivery
}

// jobInfo is what a running job's context says about it.
type jobInfo struct {
	delivery string
	id       int64
	kind     string
}

type jobInfoKey struct{}

// withJob returns ctx carrying job's identity for DeliveryID and Logger.
func withJob(ctx context.Context, job *rivertype.JobRow) context.Context {
	return context.WithValue(ctx, jobInfoKey{}, jobInfo{delivery: deliveryFromMetadata(job.Metadata), id: job.ID, kind: job.Kind})
}

// DeliveryID returns the id of the webhook delivery that created the job
// running in ctx, or "" if the job came from no delivery (a periodic job,
// a follow-up inserted by another job) or ctx is not a job's.
func DeliveryID(ctx context.Context) string {
	info, _ := ctx.Value(jobInfoKey{}).(jobInfo)
	return info.delivery
}

// Logger returns base with the running job's delivery (if it has one),
// job id and kind, so that a job's log lines lead back to the webhook
// delivery that caused it. Outside a job it returns base.
func Logger(ctx context.Context, base *slog.Logger) *slog.Logger {
	info, ok := ctx.Value(jobInfoKey{}).(jobInfo)
	if !ok {
		return base
	}
	if info.delivery != "" {
		base = base.With("delivery", info.delivery)
	}
	return base.With("job_id", info.id, "kind", info.kind)
}
