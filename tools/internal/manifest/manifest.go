// Package manifest finds Kubernetes YAML files, splits them into documents
// and decodes documents strictly into typed API objects.
package manifest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// Document is one YAML document of a file.
type Document struct {
	File string // path as given (or as found in a scanned directory)
	// Index is the position of the document in its file, starting at 0.
	// Items of a v1 List share the index of the List document.
	Index      int
	APIVersion string
	Kind       string
	// JSON is the document converted to JSON.
	JSON []byte
}

// Group returns the API group of the document's apiVersion ("" for the core group).
func (d Document) Group() string {
	if i := strings.Index(d.APIVersion, "/"); i >= 0 {
		return d.APIVersion[:i]
	}
	return ""
}

// Location names the document for messages: "file" or "file (document N)".
func (d Document) Location() string {
	return fmt.Sprintf("%s (document %d)", d.File, d.Index+1)
}

// CollectFiles expands the arguments into a list of files. A file argument
// is taken as is, whatever its extension; a directory is scanned
// non-recursively for *.yaml and *.yml files, in lexical order.
func CollectFiles(args []string) ([]string, error) {
	var files []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, arg)
			continue
		}
		entries, err := os.ReadDir(arg)
		if err != nil {
			return nil, err
		}
		var found []string
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if ext == ".yaml" || ext == ".yml" {
				found = append(found, filepath.Join(arg, e.Name()))
			}
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

// EachDocument calls visit for every document of every YAML file that the
// arguments name (see CollectFiles) and returns every error met on the way:
// an argument that cannot be read, no YAML file at all, a file that does not
// parse, and each error visit returns. It carries on after each, so one run
// reports all of them.
func EachDocument(args []string, visit func(Document) error) []string {
	var errs []string
	files, err := CollectFiles(args)
	if err != nil {
		errs = append(errs, err.Error())
	} else if len(files) == 0 {
		errs = append(errs, "no YAML files found in the given paths")
	}
	for _, file := range files {
		docs, err := ReadFile(file)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		for _, doc := range docs {
			if err := visit(doc); err != nil {
				errs = append(errs, err.Error())
			}
		}
	}
	return errs
}

// ReadFile reads a file and returns its non-empty documents.
func ReadFile(path string) ([]Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse splits multi-document YAML into documents. Documents that are empty
// or hold only comments are dropped. Every remaining document must be a
// mapping with apiVersion and kind. Items of a "v1 List" are returned as
// documents of their own.
func Parse(file string, data []byte) ([]Document, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs []Document
	for index := 0; ; index++ {
		raw, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		// YAMLToJSONStrict rejects duplicate keys.
		js, err := yaml.YAMLToJSONStrict(raw)
		if err != nil {
			return nil, fmt.Errorf("%s (document %d): %w", file, index+1, err)
		}
		js = bytes.TrimSpace(js)
		if len(js) == 0 || string(js) == "null" {
			continue
		}
		doc := Document{File: file, Index: index, JSON: js}
		if err := doc.readTypeMeta(); err != nil {
			return nil, err
		}
		if doc.APIVersion == "v1" && doc.Kind == "List" {
			items, err := doc.listItems()
			if err != nil {
				return nil, err
			}
			docs = append(docs, items...)
			continue
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

func (d *Document) readTypeMeta() error {
	if !bytes.HasPrefix(d.JSON, []byte("{")) {
		return fmt.Errorf("%s: not a YAML mapping", d.Location())
	}
	var tm struct {
		APIVersion any `json:"apiVersion"`
		Kind       any `json:"kind"`
	}
	if err := json.Unmarshal(d.JSON, &tm); err != nil {
		return fmt.Errorf("%s: %w", d.Location(), err)
	}
	av, ok1 := tm.APIVersion.(string)
	kind, ok2 := tm.Kind.(string)
	if !ok1 || !ok2 || av == "" || kind == "" {
		return fmt.Errorf("%s: apiVersion and kind must be set to non-empty strings", d.Location())
	}
	d.APIVersion, d.Kind = av, kind
	return nil
}

func (d Document) listItems() ([]Document, error) {
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(d.JSON, &list); err != nil {
		return nil, fmt.Errorf("%s: List: %w", d.Location(), err)
	}
	var out []Document
	for i, raw := range list.Items {
		item := Document{File: d.File, Index: d.Index, JSON: bytes.TrimSpace(raw)}
		if err := item.readTypeMeta(); err != nil {
			return nil, fmt.Errorf("%s: List items[%d]: %w", d.Location(), i, err)
		}
		out = append(out, item)
	}
	return out, nil
}

// DecodeStrict decodes the document into obj the way the Kubernetes API
// server's strict field validation does: field names are case-sensitive and
// unknown or duplicate fields are errors.
func (d Document) DecodeStrict(obj any) error {
	strictErrs, err := kjson.UnmarshalStrict(d.JSON, obj,
		kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", d.Location(), d.Kind, err)
	}
	if len(strictErrs) > 0 {
		msgs := make([]string, len(strictErrs))
		for i, e := range strictErrs {
			msgs[i] = e.Error()
		}
		return fmt.Errorf("%s: %s: strict decoding: %s", d.Location(), d.Kind, strings.Join(msgs, "; "))
	}
	return nil
}
