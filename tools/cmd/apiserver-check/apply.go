package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"

	"github.com/cdk8s-secure-trading-api/tools/internal/manifest"
)

// applyFiles applies every object of the files server-side (PATCH application/apply-patch+yaml) with
// fieldValidation=Strict, so that the server, never a client-side schema, decides: an unknown or
// duplicate field is an error, and every Warning header the server sends (Pod Security, deprecation,
// field validation) is reported. Returns the objects applied, refused, and the warnings.
func applyFiles(admin *identity, files []string, out io.Writer) (applied, refused, warnings int, err error) {
	disc := newDiscovery(admin)
	for _, file := range files {
		docs, err := manifest.ReadFile(file)
		if err != nil {
			return applied, refused, warnings, err
		}
		for _, doc := range docs {
			var meta struct {
				Metadata struct{ Namespace, Name string } `json:"metadata"`
			}
			if err := json.Unmarshal(doc.JSON, &meta); err != nil {
				return applied, refused, warnings, err
			}
			what := fmt.Sprintf("%s %s/%s", doc.Kind, meta.Metadata.Namespace, meta.Metadata.Name)
			res, err := disc.kindResource(doc.APIVersion, doc.Kind)
			if err != nil {
				fmt.Fprintf(out, "refused %s: %v\n", what, err)
				refused++
				continue
			}
			q := url.Values{"fieldManager": {"apiserver-test"}, "fieldValidation": {"Strict"}, "force": {"true"}}
			resp, err := admin.do(request{Method: "PATCH", Path: res.path(meta.Metadata.Namespace, meta.Metadata.Name) + "?" + q.Encode(),
				Body: doc.JSON, ContentType: "application/apply-patch+yaml", UserAgent: "apiserver-test-apply"})
			if err != nil {
				return applied, refused, warnings, err
			}
			for _, w := range resp.Warnings {
				fmt.Fprintf(out, "warning %s: %s\n", what, w)
				warnings++
			}
			if resp.Code >= 300 {
				fmt.Fprintf(out, "refused %s: %s\n", what, resp)
				refused++
				continue
			}
			applied++
		}
	}
	return applied, refused, warnings, nil
}

// deleteFiles deletes every object of the files (background propagation: no garbage collector runs,
// and nothing must wait for one), except Namespaces: without the namespace controller a deleted
// namespace never finishes terminating, and later checks create objects in it. Objects already gone
// are fine.
func deleteFiles(admin *identity, files []string, out io.Writer) (deleted int, err error) {
	disc := newDiscovery(admin)
	for _, file := range files {
		docs, err := manifest.ReadFile(file)
		if err != nil {
			return deleted, err
		}
		for _, doc := range docs {
			if doc.APIVersion == "v1" && doc.Kind == "Namespace" {
				continue
			}
			var meta struct {
				Metadata struct{ Namespace, Name string } `json:"metadata"`
			}
			if err := json.Unmarshal(doc.JSON, &meta); err != nil {
				return deleted, err
			}
			res, err := disc.kindResource(doc.APIVersion, doc.Kind)
			if err != nil {
				continue // never created
			}
			resp, err := admin.do(request{Method: "DELETE", Path: res.path(meta.Metadata.Namespace, meta.Metadata.Name) + "?propagationPolicy=Background",
				UserAgent: "apiserver-test-apply"})
			if err != nil {
				return deleted, err
			}
			switch {
			case resp.Code < 300:
				deleted++
			case resp.Code != 404:
				fmt.Fprintf(out, "could not delete %s %s/%s: %s\n", doc.Kind, meta.Metadata.Namespace, meta.Metadata.Name, resp)
			}
		}
	}
	return deleted, nil
}
