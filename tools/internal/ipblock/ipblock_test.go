package ipblock

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	netutils "k8s.io/utils/net"
)

type kubernetesReading struct {
	Family      int    `json:"family"`
	Reads       string `json:"reads"`
	StrictValid bool   `json:"strictValid"`
}

type fixtureCase struct {
	Input      string             `json:"input"`
	Options    map[string]bool    `json:"options"`
	Kubernetes *kubernetesReading `json:"kubernetes"`
	Verdict    string             `json:"verdict"`
	CIDR       string             `json:"cidr"`
	Except     []string           `json:"except"`
	Problem    string             `json:"problem"`
	Note       string             `json:"note"`
}

func loadCases(t *testing.T) []fixtureCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "test", "fixtures", "ipblock-cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []fixtureCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) < 40 {
		t.Fatalf("only %d cases", len(doc.Cases))
	}
	return doc.Cases
}

// strictValid is what the API server admits in NetworkPolicy ipBlock.cidr and except with the
// StrictIPCIDRValidation feature on (networking validation calls IsValidCIDRForLegacyField).
func strictValid(value string) bool {
	return len(validation.IsValidCIDRForLegacyField(field.NewPath("cidr"), value, true, nil)) == 0
}

func family(value string) (int, string, error) {
	_, ipnet, err := netutils.ParseCIDRSloppy(value)
	if err != nil {
		return 0, "", err
	}
	if netutils.IsIPv4CIDR(ipnet) {
		return 4, ipnet.String(), nil
	}
	return 6, ipnet.String(), nil
}

// exceptProblem repeats the check of ValidateIPBlock (k8s.io/kubernetes/pkg/apis/networking/
// validation), which lives in the main Kubernetes module: every except must parse, be valid, and be
// a strict subset of the cidr.
func exceptProblem(cidr, except string) error {
	_, cidrNet, err := netutils.ParseCIDRSloppy(cidr)
	if err != nil {
		return err
	}
	_, exceptNet, err := netutils.ParseCIDRSloppy(except)
	if err != nil {
		return err
	}
	if !strictValid(except) {
		return fmt.Errorf("%s fails strict CIDR validation", except)
	}
	cidrLen, _ := cidrNet.Mask.Size()
	exceptLen, _ := exceptNet.Mask.Size()
	if !cidrNet.Contains(exceptNet.IP) || cidrLen >= exceptLen {
		return fmt.Errorf("%s must be a strict subset of %s", except, cidr)
	}
	return nil
}

// TestKubernetesReadsEachInputAsRecorded: the fixture's kubernetes field is what Kubernetes reads.
func TestKubernetesReadsEachInputAsRecorded(t *testing.T) {
	for _, c := range loadCases(t) {
		fam, reads, err := family(c.Input)
		switch {
		case c.Kubernetes == nil && err == nil:
			t.Errorf("%q: Kubernetes parses it (IPv%d %s), the fixture says it cannot", c.Input, fam, reads)
		case c.Kubernetes != nil && err != nil:
			t.Errorf("%q: Kubernetes cannot parse it: %v", c.Input, err)
		case c.Kubernetes != nil:
			if fam != c.Kubernetes.Family || reads != c.Kubernetes.Reads {
				t.Errorf("%q: Kubernetes reads IPv%d %s, the fixture says IPv%d %s", c.Input, fam, reads, c.Kubernetes.Family, c.Kubernetes.Reads)
			}
			if got := strictValid(c.Input); got != c.Kubernetes.StrictValid {
				t.Errorf("%q: strict validation admits it: %v, the fixture says %v", c.Input, got, c.Kubernetes.StrictValid)
			}
		}
	}
}

// TestAcceptedBlocksMeanTheSameToKubernetes: every block the library emits is admitted by the API
// server and read by Kubernetes as the same family and block, and every except is valid inside it.
func TestAcceptedBlocksMeanTheSameToKubernetes(t *testing.T) {
	accepted := 0
	for _, c := range loadCases(t) {
		if c.Verdict != "accepted" {
			continue
		}
		accepted++
		if !strictValid(c.CIDR) {
			t.Errorf("%q: emitted cidr %s fails strict validation", c.Input, c.CIDR)
		}
		fam, reads, err := family(c.CIDR)
		if err != nil || reads != c.CIDR {
			t.Errorf("%q: Kubernetes reads the emitted %s as %s (%v)", c.Input, c.CIDR, reads, err)
		}
		if c.Kubernetes == nil || fam != c.Kubernetes.Family || reads != c.Kubernetes.Reads {
			t.Errorf("%q: the input and the emitted %s mean different things to Kubernetes", c.Input, c.CIDR)
		}
		for _, except := range c.Except {
			if err := exceptProblem(c.CIDR, except); err != nil {
				t.Errorf("%q: except %s: %v", c.Input, except, err)
			}
			if f, _, _ := family(except); f != fam {
				t.Errorf("%q: except %s is IPv%d inside an IPv%d block", c.Input, except, f, fam)
			}
		}
	}
	if accepted < 15 {
		t.Fatalf("only %d accepted cases", accepted)
	}
}

// TestIPv4MappedIsRefusedBecauseKubernetesReadsIPv4: the reason the library refuses ::ffff:0:0/96
// and its sub-blocks, and why it cannot except them from ::/0 instead.
func TestIPv4MappedIsRefusedBecauseKubernetesReadsIPv4(t *testing.T) {
	fam, reads, err := family("::ffff:0:0/96")
	if err != nil || fam != 4 || reads != "0.0.0.0/0" {
		t.Fatalf("::ffff:0:0/96 reads as IPv%d %s (%v)", fam, reads, err)
	}
	if err := exceptProblem("::/0", "::ffff:0:0/96"); err == nil {
		t.Fatal("Kubernetes accepts ::ffff:0:0/96 as an except of ::/0")
	}
	for _, c := range loadCases(t) {
		if c.Kubernetes != nil && c.Kubernetes.Family == 4 && c.Verdict == "accepted" && c.CIDR != c.Kubernetes.Reads {
			t.Errorf("%q: accepted although Kubernetes reads it as IPv4 %s", c.Input, c.Kubernetes.Reads)
		}
	}
}
