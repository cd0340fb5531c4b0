package manifest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"sigs.k8s.io/yaml"
)

// Go's own YAML reader agrees with the table that the library's readsAsNonString
// is tested against (test/yaml.test.ts): each value, written as a plain scalar,
// reads back as the same string exactly when the table says so.
func TestYAMLStringsFixture(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "test", "fixtures", "yaml-strings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fixture struct {
		Cases []struct {
			Value     string `json:"value"`
			NonString bool   `json:"nonString"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &fixture); err != nil {
		t.Fatal(err)
	}
	for _, c := range fixture.Cases {
		var doc map[string]any
		err := yaml.Unmarshal([]byte("v: "+c.Value+"\n"), &doc)
		// An infinity cannot even become JSON: the API server would never see a string.
		got, isString := doc["v"].(string)
		nonString := err != nil || !isString || got != c.Value
		if nonString != c.NonString {
			t.Errorf("%q: Go reads it as %#v (%T); the fixture says nonString=%v", c.Value, doc["v"], doc["v"], c.NonString)
		}
	}
}
