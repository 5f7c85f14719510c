package config

import (
	"strings"
	"testing"
	"time"
)

func TestTerraformSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "portico.yaml", "terraform:\n  binary: tofu\n  env: [AWS_REGION]\n  timeout: 10m\n  grace: 5s\n")
	cfg, err := Load(path, env(map[string]string{EnvDataDir: dir}))
	if err != nil {
		t.Fatal(err)
	}
	want := Terraform{Binary: "tofu", Env: []string{"AWS_REGION"}, Timeout: 10 * time.Minute, Grace: 5 * time.Second}
	if got := cfg.Terraform; got.Binary != want.Binary || strings.Join(got.Env, ",") != "AWS_REGION" || got.Timeout != want.Timeout || got.Grace != want.Grace {
		t.Errorf("terraform = %+v, want %+v", got, want)
	}
	cfg, err = Load(path, env(map[string]string{EnvDataDir: dir, EnvTerraformEnv: "A, B", EnvTerraformTimeout: "1h", EnvTerraformBinary: "/opt/terraform"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Terraform; got.Binary != "/opt/terraform" || strings.Join(got.Env, ",") != "A,B" || got.Timeout != time.Hour {
		t.Errorf("with the environment: terraform = %+v", got)
	}
}

func TestTerraformRefusesPorticoEnvAndTokens(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"PORTICO_GITHUB_PRIVATE_KEY", "GITHUB_TOKEN", "GH_TOKEN", "A=B"} {
		path := writeFile(t, dir, "portico.yaml", "terraform:\n  env: ['"+name+"']\n")
		if _, err := Load(path, env(map[string]string{EnvDataDir: dir})); err == nil || !strings.Contains(err.Error(), "terraform.env") {
			t.Errorf("terraform.env [%s]: %v", name, err)
		}
	}
	if _, err := Load("example.yaml", env(map[string]string{EnvDataDir: dir, EnvTerraformGrace: "soon"})); err == nil {
		t.Error("a grace of 'soon' was accepted")
	}
}
