package catalog

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestUpkeepPacksAndMerges packs loose objects and merges packs, and the
// record reads the same before and after, by go-git and by git.
func TestUpkeepPacksAndMerges(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	sync := func(i int) {
		mustSync(t, s, source("acme/shop", sha('a'+byte(i%2)), map[string]string{"catalog-info.yaml": component("cart", fmt.Sprintf("team-%d", i))}))
	}
	for i := range 5 {
		sync(i)
	}
	before := gitCLI(t, dir, "ls-tree", "-r", "main")
	if err := s.upkeep(1); err != nil {
		t.Fatal(err)
	}
	if got := countObjects(t, dir); got["count"] != "0" || got["packs"] != "1" {
		t.Errorf("after packing: %v, want no loose objects and one pack", got)
	}
	for i := 5; i < 5+maxPacks+1; i++ {
		sync(i)
		if err := s.upkeep(1); err != nil {
			t.Fatal(err)
		}
	}
	if got := countObjects(t, dir); got["count"] != "0" || (got["packs"] != "1" && got["packs"] != "2") {
		t.Errorf("after %d packs: %v, want them merged (one pack, and the one since)", maxPacks+1, got)
	}
	gitCLI(t, dir, "fsck", "--strict", "--no-dangling")
	sync(4)
	if got := gitCLI(t, dir, "ls-tree", "-r", "main"); got != before {
		t.Errorf("tree after upkeep and the same sync:\n%s\nwant\n%s", got, before)
	}
	c, err := Load(context.Background(), dir, "")
	if err != nil || c.Len() != 1 {
		t.Fatalf("Load after upkeep: %v", err)
	}
}

func countObjects(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, l := range strings.Split(gitCLI(t, dir, "count-objects", "-v"), "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok {
			m[k] = v
		}
	}
	return m
}

// TestUpkeepBesideWrites lets background upkeep pack while syncs go on:
// every sync lands, and the repository stays sound.
func TestUpkeepBesideWrites(t *testing.T) {
	t.Parallel()
	s, dir := openTemp(t)
	s.minLoose = 10
	for i := range 3 * upkeepEvery {
		files := map[string]string{}
		for j := range 3 {
			files[fmt.Sprintf("s%d/catalog-info.yaml", j)] = component(fmt.Sprintf("svc-%d", j), fmt.Sprintf("team-%d", i))
		}
		mustSync(t, s, source("acme/shop", sha('a'+byte(i%2)), files))
	}
	s.Wait()
	if got := countObjects(t, dir); got["packs"] == "0" {
		t.Errorf("upkeep never packed: %v", got)
	}
	gitCLI(t, dir, "fsck", "--strict", "--no-dangling")
	if got := gitCLI(t, dir, "show", "main:catalog/default/component/svc-2.yaml"); !strings.Contains(got, fmt.Sprintf("team-%d", 3*upkeepEvery-1)) {
		t.Errorf("last sync not recorded:\n%s", got)
	}
	if got := len(subjects(t, dir)); got != 3*upkeepEvery {
		t.Errorf("%d commits, want %d", got, 3*upkeepEvery)
	}
}

func TestGeometricPrefix(t *testing.T) {
	t.Parallel()
	sizes := func(ps []sizedPack) []int64 {
		var out []int64
		for _, p := range ps {
			out = append(out, p.size)
		}
		return out
	}
	for _, c := range []struct{ in, want []int64 }{
		{[]int64{1000, 1, 1, 1}, []int64{1, 1, 1}},             // the big one stays
		{[]int64{100, 10, 1, 1, 1}, []int64{1, 1, 1}},          // 10 >= 2*3, 100 >= 2*13
		{[]int64{100, 10, 9, 1, 1}, []int64{1, 1, 9, 10}},      // 10 < 2*11
		{[]int64{18, 6, 2, 1}, []int64{1, 2}},                  // geometric already: two smallest
		{[]int64{5, 5, 5, 5, 5, 5}, []int64{5, 5, 5, 5, 5, 5}}, // all alike: all
	} {
		var in []sizedPack
		for _, n := range c.in {
			in = append(in, sizedPack{size: n})
		}
		if got := sizes(geometricPrefix(in)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("geometricPrefix(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
