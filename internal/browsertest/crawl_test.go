package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opstap/opstap/internal/demo"
)

// crawled is what the tab got for one address: the status after
// redirects, where it ended, and the links of an HTML page.
type crawled struct {
	Status int      `json:"status"`
	URL    string   `json:"url"`
	Links  []string `json:"links"`
}

// crawlJS fetches an address with the tab's session and lists the links
// of the page that comes back.
const crawlJS = `(async () => {
  const r = await fetch(%q, {credentials: 'same-origin'});
  const type = r.headers.get('Content-Type') || '';
  let links = [];
  if (type.startsWith('text/html')) {
    const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
    links = [...doc.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  } else {
    await r.arrayBuffer();
  }
  return {status: r.status, url: r.url, links};
})()`

// crawlDepth bounds how many clicks from the home page the crawl goes;
// perShape bounds how many addresses of one shape (ids left out) it opens,
// so that a list of many candidates costs a few pages, not all.
const (
	crawlDepth = 4
	perShape   = 2
)

var idSegment = regexp.MustCompile(`/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// shape is an address with its ids and query values left out.
func shape(u *url.URL) string {
	keys := []string{}
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return idSegment.ReplaceAllString(u.Path, "/{id}") + "?" + strings.Join(keys, "&")
}

// TestNoDeadLinks signs in as every demo role and follows every link
// reachable from the home page (same origin, up to crawlDepth clicks):
// none may answer 403 or 404, or any error (issue 12 dead end 4). Menus
// and tabs show only what the role may open.
func TestNoDeadLinks(t *testing.T) {
	e, ctx := newTest(t)
	accounts, err := demo.Load(context.Background(), e.DB)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		t.Run(string(a.Role), func(t *testing.T) {
			s := Session(t, ctx)
			e.SignIn(t, s, a.Email)
			base, _ := url.Parse(e.URL)
			type visit struct {
				path, from string
				depth      int
			}
			queue := []visit{{"/", "(start)", 0}}
			seen, shapes := map[string]bool{"/": true}, map[string]int{}
			var dead []string
			for len(queue) > 0 {
				v := queue[0]
				queue = queue[1:]
				c := Run(t, s, chromedp.Evaluate[crawled](fmt.Sprintf(crawlJS, v.path), chromedp.EvalAwaitPromise))
				if c.Status >= 400 {
					dead = append(dead, fmt.Sprintf("%d %s (linked from %s)", c.Status, v.path, v.from))
					continue
				}
				if end, err := url.Parse(c.URL); err == nil && end.Path == "/login" {
					t.Fatalf("%s sent %s back to the login page", v.path, a.Email)
				}
				if v.depth == crawlDepth {
					continue
				}
				for _, href := range c.Links {
					u, err := base.Parse(href)
					if err != nil || u.Host != base.Host || strings.HasPrefix(u.Path, "/static/") {
						continue
					}
					u.Fragment = ""
					p := u.RequestURI()
					if seen[p] || shapes[shape(u)] >= perShape {
						continue
					}
					seen[p] = true
					shapes[shape(u)]++
					queue = append(queue, visit{p, v.path, v.depth + 1})
				}
			}
			t.Logf("%s: %d addresses opened", a.Email, len(seen))
			if len(dead) > 0 {
				t.Errorf("%s meets %d dead links:\n%s", a.Email, len(dead), strings.Join(dead, "\n"))
			}
		})
	}
}
