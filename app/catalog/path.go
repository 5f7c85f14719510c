package catalog

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Root is the directory of the central repository that holds the entities.
const Root = "catalog"

// maxSegment is the longest namespace, kind or name that becomes a path
// segment: Backstage's own limit for each of them.
const maxSegment = 63

// segmentRE is the shape of one lower-cased path segment: Backstage's name
// rule, which also covers namespaces and kinds once lower-cased.
var segmentRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9_.-]*[a-z0-9])?$`)

// EntityPath returns where the entity namespace/kind/name is stored:
// catalog/<namespace>/<kind>/<name>.yaml, all lower-cased because
// Backstage compares entity references without regard to case. It refuses
// any part that could make the path leave its directory.
func EntityPath(namespace, kind, name string) (string, error) {
	parts := []string{namespace, kind, name}
	for i, p := range parts {
		p = strings.ToLower(p)
		if err := checkSegment(p); err != nil {
			return "", err
		}
		parts[i] = p
	}
	return path.Join(Root, parts[0], parts[1], parts[2]+".yaml"), nil
}

func checkSegment(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty path segment")
	case len(s) > maxSegment:
		return fmt.Errorf("path segment %.20q... longer than %d characters", s, maxSegment)
	case strings.Contains(s, ".."):
		return fmt.Errorf("path segment %q contains ..", s)
	case !segmentRE.MatchString(s):
		return fmt.Errorf("path segment %q has characters outside [a-z0-9_.-]", s)
	}
	// Backstage's rules already keep out every name git refuses; this
	// holds should they ever widen.
	return checkTreeName(s)
}

// checkRepo validates a source repository name, owner/name, which
// becomes the paths of its index and removal record.
func checkRepo(repo string) error {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok {
		return fmt.Errorf("source repository %q is not owner/name", clip(repo))
	}
	if err := CheckRepoName(owner, name); err != nil {
		return fmt.Errorf("source repository %q: %w", clip(repo), err)
	}
	return nil
}

// indexDir holds one index per source, indexDir/<owner>/<name>.tsv.
const (
	indexDir = ".portico/sources"
	indexExt = ".tsv"
)

// idsDir maps GitHub repository ids to source names, idsDir/<id>, so that
// a renamed repository is known again.
const idsDir = ".portico/ids"

// idPath is where the name of the repository with id is kept.
func idPath(id int64) string { return path.Join(idsDir, strconv.FormatInt(id, 10)) }

// removedDir holds one file per removed source, removedDir/<owner>/<name>,
// with the time of its removal.
const removedDir = ".portico/removed"

// removedPath is where a source's removal is recorded.
func removedPath(repo string) string { return path.Join(removedDir, repo) }

// indexPath is where the index of a source's entities is kept.
func indexPath(repo string) string {
	return path.Join(indexDir, repo+indexExt)
}
