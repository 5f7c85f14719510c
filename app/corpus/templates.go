package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

var (
	lifecycles = []string{"production", "production", "experimental", "deprecated"}
	types      = []string{"service", "service", "website", "library"}
	languages  = []string{"go", "java", "typescript", "python", "kotlin"}
)

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// breakers are the mistakes people make in descriptors, each one a
// Backstage error.
var breakers = []func(string) string{
	func(name string) string { return "invalid " + name },       // space in name
	func(name string) string { return name + "-" },              // trailing dash
	func(name string) string { return strings.Repeat(name, 8) }, // longer than 63
}

func component(r *rand.Rand, i int, bad bool) string {
	name := fmt.Sprintf("svc-%05d", i)
	owner := fmt.Sprintf("group:default/team-%02d", i%40)
	lifecycle := pick(r, lifecycles)
	if bad {
		name = breakers[r.IntN(len(breakers))](name)
	}
	return fmt.Sprintf(`apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: %s
  title: Service %05d
  description: Handles %s requests for the %s domain, written in %s.
  annotations:
    github.com/project-slug: acme/svc-%05d
    backstage.io/techdocs-ref: dir:.
    pagerduty.com/service-id: P%05dX
  labels:
    tier: "%d"
  tags:
    - %s
    - backend
  links:
    - url: https://dashboards.acme.example/d/svc-%05d
      title: Dashboard
      icon: dashboard
spec:
  type: %s
  lifecycle: %s
  owner: %s
  system: system-%02d
  providesApis:
    - api-%05d
  dependsOn:
    - resource:default/db-%05d
`, name, i, pick(r, types), pick(r, languages), pick(r, languages), i, i, 1+i%3,
		pick(r, languages), i, pick(r, types), lifecycle, owner, i%25, i, i)
}

func api(r *rand.Rand, i int, bad bool) string {
	owner := fmt.Sprintf("team-%02d", i%40)
	lifecycle := pick(r, lifecycles)
	if bad {
		lifecycle = ""
	}
	return fmt.Sprintf(`apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: api-%05d
  description: Public API of svc-%05d.
  tags: [rest, %s]
spec:
  type: openapi
  lifecycle: "%s"
  owner: %s
  system: system-%02d
  definition: |
    openapi: 3.0.0
    info:
      title: svc-%05d
      version: 1.%d.0
    paths:
      /items:
        get:
          summary: List items
          responses:
            "200":
              description: OK
`, i, i, pick(r, languages), lifecycle, owner, i%25, i, i%10)
}

func resource(r *rand.Rand, i int, bad bool) string {
	kind := "Resource"
	if bad {
		kind = "Resourse"
	}
	return fmt.Sprintf(`apiVersion: backstage.io/v1alpha1
kind: %s
metadata:
  name: db-%05d
  description: %s database of svc-%05d.
spec:
  type: database
  owner: team-%02d
  system: system-%02d
`, kind, i, pick(r, []string{"PostgreSQL", "MySQL", "Redis"}), i, i%40, i%25)
}
