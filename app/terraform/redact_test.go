package terraform

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRedact(t *testing.T) {
	pem := "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd==\n-----END RSA PRIVATE KEY-----"
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	cases := []struct{ in, want string }{
		{"token ghp_" + strings.Repeat("a", 36) + " end", "token " + Redacted + " end"},
		{"ghs_" + strings.Repeat("B1", 18), Redacted},
		{"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", Redacted},
		{"key AKIAIOSFODNN7EXAMPLE here", "key " + Redacted + " here"},
		{"before\n" + pem + "\nafter", "before\n" + Redacted + "\nafter"},
		{"-----BEGIN PRIVATE KEY-----\nunterminated", Redacted},
		{"Authorization: Bearer " + jwt, "Authorization: Bearer " + Redacted},
		{"url?token=0123456789abcdef0123&x=1", "url?token=" + Redacted + "&x=1"},
		{`"password": "hunter2hunter2"`, `"password": "` + Redacted + `"`},
		{"DB_SECRET=s3cr3t-value-long", "DB_SECRET=" + Redacted},
		{"client_secret: abcdefgh12345678", "client_secret: " + Redacted},
		{"password=short", "password=short"}, // under 8: not a secret's shape
		{"Apply complete! Resources: 1 added, 0 changed, 0 destroyed.", "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."},
		{"terraform_data.w: Creation complete after 0s [id=4b1c8f0e-4b1c-8f0e]", "terraform_data.w: Creation complete after 0s [id=4b1c8f0e-4b1c-8f0e]"},
	}
	for _, c := range cases {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestRedactExtra(t *testing.T) {
	got := Redact("the db password is correct-horse and the pin is 12", "correct-horse", "12", "")
	if want := "the db password is " + Redacted + " and the pin is 12"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// The longer secret first, so no part of it stays.
	if got := Redact("abcdefgh", "abcd", "abcdefgh"); got != Redacted {
		t.Errorf("overlapping secrets: %q", got)
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("token=0123456789abcdef", "secretvalue")
	f.Add("ghp_"+strings.Repeat("x", 36), "")
	f.Add("-----BEGIN EC PRIVATE KEY-----\nAAA\n-----END EC PRIVATE KEY-----", "AAA")
	f.Add("eyJhbGciOi.eyJzdWIiOi.sig password: hunter2hunter2", "hunter2")
	f.Fuzz(func(t *testing.T, text, secret string) {
		out := Redact(text, secret)
		if len(secret) >= 4 && !strings.Contains(Redacted, secret) && strings.Contains(out, secret) && !strings.Contains(text, Redacted) {
			// A secret may only survive when it is made by the redaction
			// marker joining with its neighbours; check it is not whole
			// in the text's parts outside of markers.
			for _, part := range strings.Split(out, Redacted) {
				if strings.Contains(part, secret) {
					t.Fatalf("Redact(%q, %q) = %q keeps the secret", text, secret, out)
				}
			}
		}
		if utf8.ValidString(text) && !utf8.ValidString(out) {
			t.Fatalf("Redact(%q) = %q is not valid UTF-8", text, out)
		}
		if again := Redact(out, secret); strings.Count(again, Redacted) < strings.Count(out, Redacted) {
			t.Fatalf("redacting twice lost markers: %q -> %q", out, again)
		}
	})
}
