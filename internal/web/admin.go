package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/access"
	"github.com/opstap/opstap/internal/account"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/i18n"
	"github.com/opstap/opstap/internal/store"
)

type usersData struct {
	Users []*store.User
	Orgs  []account.Organisation
	Roles []opstap.Role
}

func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request, status int, p *page) error {
	a := httpx.AuthFrom(r).Actor
	us, err := h.DB.FindUsers(r.Context(), a)
	if err != nil {
		return err
	}
	orgs, err := h.DB.FindOrganisations(r.Context())
	if err != nil {
		return err
	}
	p.Data = usersData{Users: us, Orgs: orgs, Roles: opstap.Roles}
	return h.render(w, r, status, "users", p)
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.usersPage(w, r, http.StatusOK, h.newPage(r, "Accounts and rights"))
}

// grantFromForm reads role, access and an optional expiry date (inclusive,
// so the grant ends at the start of the next day in Amsterdam).
func grantFromForm(r *http.Request) (access.GrantSpec, error) {
	g := access.GrantSpec{Role: opstap.Role(r.PostFormValue("role")), Access: opstap.Action(r.PostFormValue("access"))}
	if s := strings.TrimSpace(r.PostFormValue("expires_on")); s != "" {
		d, err := time.ParseInLocation("2006-01-02", s, opstap.Amsterdam)
		if err != nil {
			return g, opstap.FieldError("expires_on", "not a valid date")
		}
		d = d.AddDate(0, 0, 1)
		g.ExpiresAt = &d
	}
	return g, nil
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	g, err := grantFromForm(r)
	if err == nil {
		_, err = h.DB.CreateUser(r.Context(), a, account.NewUser{
			OrgID: r.PostFormValue("org_id"), Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
			Password: r.PostFormValue("password"), Language: r.PostFormValue("language"), Grants: []access.GrantSpec{g},
		})
	}
	if err != nil {
		p := h.newPage(r, "Accounts and rights")
		p.setError(err)
		if e := opstap.AsError(err); e != nil && e.Field == "expires_at" {
			p.Errors["expires_on"] = p.Error
		}
		p.Form = r.PostForm
		p.Form.Del("password")
		return h.usersPage(w, r, httpx.Status(err), p)
	}
	h.redirect(w, r, "/admin/users", i18n.T(httpx.Lang(r), "Account created."))
	return nil
}

func (h *Handler) userAction(w http.ResponseWriter, r *http.Request, do func() error, done string) error {
	if err := do(); err != nil {
		return err
	}
	h.redirect(w, r, "/admin/users", i18n.T(httpx.Lang(r), done))
	return nil
}

func (h *Handler) blockUser(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.userAction(w, r, func() error {
		return h.DB.BlockUser(r.Context(), a, r.PathValue("id"))
	}, "Account blocked; its sessions and tokens no longer work.")
}

func (h *Handler) unblockUser(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.userAction(w, r, func() error {
		return h.DB.UnblockUser(r.Context(), a, r.PathValue("id"))
	}, "Account unblocked.")
}

func (h *Handler) addGrant(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.userAction(w, r, func() error {
		g, err := grantFromForm(r)
		if err != nil {
			return err
		}
		return h.DB.AddGrant(r.Context(), a, r.PathValue("id"), g)
	}, "Right granted.")
}

func (h *Handler) blockGrant(w http.ResponseWriter, r *http.Request, a *opstap.Actor) error {
	return h.userAction(w, r, func() error {
		return h.DB.BlockGrant(r.Context(), a, r.PathValue("id"))
	}, "Right blocked.")
}
