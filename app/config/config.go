package config

import "time"

// Defaults for every setting that has one.
const (
	DefaultListen    = ":8080"
	DefaultDataDir   = "./portico-data"
	DefaultGitHubURL = "https://api.github.com"
	DefaultLogLevel  = "info"
)

// Config is the root of portico's configuration. The yaml tags are the keys
// of portico.yaml; example.yaml beside this file shows them all.
type Config struct {
	// Listen is the address `portico serve` listens on (host:port).
	Listen string `yaml:"listen"`
	// MetricsListen, when set, is a second address (host:port) that alone
	// serves /metrics, /healthz and /readyz, so that they stay off the
	// public webhook port. Empty: they answer on Listen.
	MetricsListen string `yaml:"metrics_listen"`
	// PublicURL is the address GitHub and browsers reach portico at, used
	// for the App's webhook and setup redirect URLs. Empty: derived from
	// the Host of the request to the setup page.
	PublicURL string `yaml:"public_url"`
	// DocsURL is where rule links in check runs start, for a mirror of
	// portico's repository that users can reach. Empty: github.com.
	DocsURL string `yaml:"docs_url"`
	// DataDir holds the SQLite database, the local catalog repository,
	// Terraform state and the App credentials from the setup page.
	DataDir string `yaml:"data_dir"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level"`

	Database Database `yaml:"database"`
	GitHub   GitHub   `yaml:"github"`
	Platform Platform `yaml:"platform"`
	Catalog  Catalog  `yaml:"catalog"`
	Jobs     Jobs     `yaml:"jobs"`
	Checks   Checks   `yaml:"checks"`
	Policy   Policy   `yaml:"policy"`
	// Scorecards tunes the pull request check's scorecard section.
	Scorecards Scorecards `yaml:"scorecards"`
	// Templates tunes the App's template-upgrade pull requests.
	Templates Templates `yaml:"templates"`
	// Terraform configures the runner of workspace modules.
	Terraform Terraform `yaml:"terraform"`

	// InsecureSkipSignature accepts webhooks without checking
	// X-Hub-Signature-256. Development only: Warnings reports it.
	InsecureSkipSignature bool `yaml:"insecure_skip_signature"`
}

// Database selects the queue and state store.
type Database struct {
	// URL is a PostgreSQL URL (postgres:// or postgresql://) for
	// scale-out. Empty: a SQLite file in the data directory. A Secret
	// because it usually carries a password.
	URL Secret `yaml:"url"`
}

// GitHub is where GitHub is and how portico authenticates as its App.
type GitHub struct {
	// URL is the REST API base: https://api.github.com, or
	// https://HOST/api/v3 for GitHub Enterprise Server.
	URL string `yaml:"url"`
	// AppID is the GitHub App's numeric id; 0 means no App yet (setup mode).
	AppID int64 `yaml:"app_id"`
	// PrivateKey is the App's private key, PEM. After Load it holds the
	// key whichever way it was given (inline, file or data directory).
	PrivateKey Secret `yaml:"private_key"`
	// PrivateKeyFile is a path to the PEM file; Load reads it into
	// PrivateKey.
	PrivateKeyFile string `yaml:"private_key_file"`
	// WebhookSecret is the secret GitHub signs deliveries with.
	WebhookSecret Secret `yaml:"webhook_secret"`
	// WriteLimits is each installation's write budget; the zero value is
	// URL's default (github.com's limits on github.com, none elsewhere).
	WriteLimits WriteLimits `yaml:"write_limits"`
}

// Platform is where the organisation's policies/, actions/ and templates/
// come from. At most one of Repository and Dir is set; neither means the
// defaults embedded in the binary.
type Platform struct {
	// Repository is owner/name of the platform configuration repository,
	// read from its default branch only, never from a pull request head.
	Repository string `yaml:"repository"`
	// Dir is a local directory holding the platform configuration.
	Dir string `yaml:"dir"`
}

// Catalog is where the central catalog repository lives.
type Catalog struct {
	// Repository is owner/name of a GitHub repository that holds the
	// central catalog on its main branch, fetched and pushed with the
	// token of the App's installation on it (which needs contents:
	// write). Empty: a local bare repository, catalog.git in data_dir.
	// Either way data_dir/catalog.git is the copy portico reads and
	// writes.
	Repository string `yaml:"repository"`
	// LocationHosts are hosts, "host[:port]" or "host/path-prefix", whose
	// URLs a Location entity from a source repository may target, beyond
	// its own repository and its organisation on the GitHub server.
	LocationHosts []string `yaml:"location_hosts"`
}

// Checks tunes how check runs are posted. Zero values take the
// publisher's defaults (300 annotations, 3 s).
type Checks struct {
	// MaxAnnotations bounds the annotations one check run posts, the most
	// severe first; its summary says how many more there are.
	MaxAnnotations int `yaml:"max_annotations"`
	// InProgressAfter is how long a check works before a run in progress
	// is shown; quicker checks are posted completed, in one write.
	InProgressAfter time.Duration `yaml:"in_progress_after"`
}

// Jobs tunes the durable queue. Zero values take the queue's defaults.
type Jobs struct {
	// Timeout cancels a job that runs longer (default one minute).
	Timeout time.Duration `yaml:"timeout"`
	// RescueAfter is how long a job may stay running before it is taken
	// for dead (its process killed) and retried (default Timeout plus a
	// minute).
	RescueAfter time.Duration `yaml:"rescue_after"`
	// KeyLease is how long a dead process's hold on a pull request or
	// repository keeps others waiting (default 30 s).
	KeyLease time.Duration `yaml:"key_lease"`
}

// Platform source kinds, as returned by Platform.Source.
const (
	SourceEmbedded   = "embedded"
	SourceRepository = "repository"
	SourceDir        = "dir"
)

// Source says where the platform configuration comes from: SourceEmbedded,
// SourceRepository or SourceDir.
func (p Platform) Source() string {
	switch {
	case p.Repository != "":
		return SourceRepository
	case p.Dir != "":
		return SourceDir
	default:
		return SourceEmbedded
	}
}

// Default returns the configuration used when nothing is configured.
func Default() *Config {
	return &Config{
		Listen:   DefaultListen,
		DataDir:  DefaultDataDir,
		LogLevel: DefaultLogLevel,
		GitHub:   GitHub{URL: DefaultGitHubURL},
	}
}

// AppConfigured reports whether portico has an App identity to run as;
// without one `portico serve` serves the setup page.
func (c *Config) AppConfigured() bool {
	return c.GitHub.AppID != 0 && c.GitHub.PrivateKey != ""
}
