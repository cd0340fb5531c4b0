package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// cluster is what every identity of a run shares: the API server's address and the test CA, whose key
// mints client certificates (the API server trusts that CA for client certificates).
type cluster struct {
	server string
	caPool *x509.CertPool
	caCert *x509.Certificate
	caKey  any
}

func loadCluster(server, caCertFile, caKeyFile string) (*cluster, error) {
	certPEM, err := os.ReadFile(caCertFile)
	if err != nil {
		return nil, err
	}
	keyPEM, err := os.ReadFile(caKeyFile)
	if err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("CA: %w", err)
	}
	caCert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return &cluster{server: strings.TrimRight(server, "/"), caPool: pool, caCert: caCert, caKey: pair.PrivateKey}, nil
}

// identity makes requests as one authenticated user.
type identity struct {
	name   string // for messages
	server string
	http   *http.Client
	token  string // bearer token, when not a client certificate
}

// userIdentity mints a client certificate for user (CN) in groups (O), valid for an hour.
func (c *cluster) userIdentity(user string, groups ...string) (*identity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: user, Organization: groups},
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.caCert, &key.PublicKey, c.caKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		return nil, err
	}
	name := user
	if len(groups) > 0 {
		name = fmt.Sprintf("%s (groups %s)", user, strings.Join(groups, ","))
	}
	return &identity{name: name, server: c.server, http: c.httpClient(&pair)}, nil
}

// tokenIdentity uses a bearer token (a ServiceAccount's, from the TokenRequest API).
func (c *cluster) tokenIdentity(name, token string) *identity {
	return &identity{name: name, server: c.server, http: c.httpClient(nil), token: token}
}

func (c *cluster) httpClient(cert *tls.Certificate) *http.Client {
	cfg := &tls.Config{RootCAs: c.caPool, MinVersion: tls.VersionTLS12}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
}

// response is what a request returned: the HTTP status and, for errors, the Status reason and message.
type response struct {
	Code     int
	Reason   string
	Message  string
	Body     []byte
	Warnings []string // the server's Warning headers (admission and field-validation warnings)
}

func (r response) String() string {
	if r.Message != "" {
		return fmt.Sprintf("%d %s: %s", r.Code, r.Reason, r.Message)
	}
	return fmt.Sprintf("%d", r.Code)
}

// forbidden: the authorizer said no (403, reason Forbidden).
func (r response) forbidden() bool { return r.Code == http.StatusForbidden }

// request is one HTTP request against the API. Body is JSON unless ContentType says otherwise.
type request struct {
	Method      string
	Path        string // with query
	Body        any
	ContentType string
	UserAgent   string
	// Watch: read the status line only and close (the body would stream until the server's timeout).
	Watch bool
}

func (id *identity) do(r request) (response, error) {
	var body io.Reader
	if r.Body != nil {
		var data []byte
		switch b := r.Body.(type) {
		case []byte:
			data = b
		case string:
			data = []byte(b)
		default:
			var err error
			if data, err = json.Marshal(b); err != nil {
				return response{}, err
			}
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(r.Method, id.server+r.Path, body)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Accept", "application/json")
	if r.Body != nil {
		ct := r.ContentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if r.UserAgent != "" {
		req.Header.Set("User-Agent", r.UserAgent)
	}
	if id.token != "" {
		req.Header.Set("Authorization", "Bearer "+id.token)
	}
	resp, err := id.http.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("%s %s as %s: %w", r.Method, r.Path, id.name, err)
	}
	defer resp.Body.Close()
	out := response{Code: resp.StatusCode}
	for _, w := range resp.Header.Values("Warning") {
		// RFC 7234 form: 299 - "text"
		if _, text, ok := strings.Cut(w, " - "); ok {
			w = text
			if unquoted, err := strconv.Unquote(text); err == nil {
				w = unquoted
			}
		}
		out.Warnings = append(out.Warnings, w)
	}
	if r.Watch && resp.StatusCode < 300 {
		return out, nil
	}
	out.Body, err = io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return out, err
	}
	if resp.StatusCode >= 300 {
		var st struct {
			Kind    string `json:"kind"`
			Reason  string `json:"reason"`
			Message string `json:"message"`
		}
		if json.Unmarshal(out.Body, &st) == nil && st.Kind == "Status" {
			out.Reason, out.Message = st.Reason, st.Message
		} else {
			out.Message = strings.TrimSpace(string(out.Body))
			if len(out.Message) > 200 {
				out.Message = out.Message[:200] + "..."
			}
		}
	}
	return out, nil
}

// must is do for set-up requests that have to succeed (2xx).
func (id *identity) must(r request) ([]byte, error) {
	resp, err := id.do(r)
	if err != nil {
		return nil, err
	}
	if resp.Code >= 300 {
		return nil, fmt.Errorf("%s %s as %s: %s", r.Method, r.Path, id.name, resp)
	}
	return resp.Body, nil
}

// serviceAccountToken asks the TokenRequest API, as admin, for a real token of namespace/name.
func serviceAccountToken(admin *identity, namespace, name string) (string, error) {
	body, err := admin.must(request{
		Method: "POST",
		Path:   fmt.Sprintf("/api/v1/namespaces/%s/serviceaccounts/%s/token", namespace, name),
		Body: map[string]any{
			"apiVersion": "authentication.k8s.io/v1",
			"kind":       "TokenRequest",
			"spec":       map[string]any{"expirationSeconds": 3600},
		},
	})
	if err != nil {
		return "", err
	}
	var tr struct {
		Status struct {
			Token string `json:"token"`
		} `json:"status"`
	}
	if err := json.Unmarshal(body, &tr); err != nil || tr.Status.Token == "" {
		return "", fmt.Errorf("TokenRequest for %s/%s: no token in the response", namespace, name)
	}
	return tr.Status.Token, nil
}
