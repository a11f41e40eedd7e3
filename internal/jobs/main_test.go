package jobs

import (
	"os"
	"testing"

	"github.com/opstap/opstap/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
