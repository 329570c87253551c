package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/sidenote-app/sidenote/transcribe/whisper/ggmlfile"
	"github.com/sidenote-app/sidenote/transcribe/whisper/models"
)

// modelLibrary opens the models folder with structural validation wired in,
// so every downloaded or imported file is checked before whisper.cpp can
// load it. Errors opening the folder surface on first use.
func modelLibrary(e *env) *models.Library {
	lib, err := models.New(e.dirs.Models(), validateModel)
	if err != nil {
		// New fails only when the folder cannot be created; a Library with
		// that Dir reports the same problem from every method.
		return &models.Library{Dir: e.dirs.Models(), BaseURL: models.BaseURLFromEnv(), Catalogue: models.Catalogue(), Validate: validateModel}
	}
	lib.Logger = e.log
	return lib
}

func validateModel(path string) error {
	_, err := ggmlfile.Validate(path)
	return err
}

const modelsUsage = "list|download NAME|import FILE|verify [NAME...]|default [NAME]"

func cmdModels(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageErrorf("which models command?")
	}
	lib := modelLibrary(e)
	sub, rest := args[0], args[1:]
	switch sub {
	case "list", "ls":
		return modelsList(e, lib, rest)
	case "download", "get":
		return modelsDownload(ctx, e, lib, rest)
	case "import":
		return modelsImport(e, lib, rest)
	case "verify":
		return modelsVerify(ctx, e, lib, rest)
	case "default":
		return modelsDefault(e, lib, rest)
	case "-h", "--help", "help":
		fmt.Fprintf(e.stdout, "usage: sidenote models %s\n", modelsUsage)
		return nil
	}
	return usageErrorf("unknown models command %q", sub)
}

func modelsList(e *env, lib *models.Library, args []string) error {
	fs := newFlags(e, "models list", "[-installed]")
	onlyInstalled := fs.Bool("installed", false, "show installed models only")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	es, err := lib.List()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSIZE\tSTATE\tABOUT")
	for _, m := range es {
		if *onlyInstalled && !m.Installed {
			continue
		}
		state := "-"
		size := "~" + humanBytes(m.ApproxSize)
		switch {
		case m.Installed && m.Default:
			state, size = "installed, default", humanBytes(m.SizeOnDisk)
		case m.Installed:
			state, size = "installed", humanBytes(m.SizeOnDisk)
		case m.PartialBytes > 0:
			state = fmt.Sprintf("partial (%s), download resumes", humanBytes(m.PartialBytes))
		}
		if !m.Catalogued {
			size = humanBytes(m.SizeOnDisk)
		}
		about := m.Description
		if !m.Catalogued {
			about = "imported file"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, size, state, about)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nmodels folder: %s\n", lib.Dir)
	return nil
}

func modelsDownload(ctx context.Context, e *env, lib *models.Library, args []string) error {
	fs := newFlags(e, "models download", "[-base-url URL] NAME...")
	base := fs.String("base-url", "", "download from this server instead of the default (also $"+models.EnvBaseURL+")")
	names, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return usageErrorf("name a model to download; 'sidenote models list' shows them (base.en is a good start)")
	}
	if *base != "" {
		lib.BaseURL = *base
	}
	for _, name := range names {
		var bar *progressBar
		progress := func(done, total int64) {}
		if isTerminal(e.stderr) {
			bar = newProgressBar(e.stderr, name)
			progress = func(done, total int64) {
				bar.Set(float64(done), float64(total), humanBytes(done)+" / "+humanBytes(total))
			}
		}
		path, err := lib.Download(ctx, name, progress)
		if bar != nil {
			bar.Done()
		}
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("download of %s stopped; run the same command again to resume: %w", name, err)
			}
			return err
		}
		fmt.Fprintf(e.stdout, "%s: downloaded and verified, %s\n", name, path)
	}
	return nil
}

func modelsImport(e *env, lib *models.Library, args []string) error {
	fs := newFlags(e, "models import", "FILE...")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageErrorf("name a ggml model file (.bin) to import")
	}
	for _, f := range files {
		path, err := lib.Import(f)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: imported as %s\n", f, path)
	}
	return nil
}

func modelsVerify(ctx context.Context, e *env, lib *models.Library, args []string) error {
	fs := newFlags(e, "models verify", "[NAME...]")
	names, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	checks, err := lib.Verify(ctx, names...)
	if err != nil {
		return err
	}
	if len(checks) == 0 {
		fmt.Fprintln(e.stdout, "no models installed; get one with: sidenote models download base.en")
		return nil
	}
	bad := 0
	for _, c := range checks {
		line := fmt.Sprintf("%s: %s", c.Name, c.Status)
		if c.Err != nil {
			line += ": " + c.Err.Error()
			bad++
		}
		fmt.Fprintln(e.stdout, line)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d models failed verification", bad, len(checks))
	}
	return nil
}

func modelsDefault(e *env, lib *models.Library, args []string) error {
	fs := newFlags(e, "models default", "[NAME]")
	names, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch len(names) {
	case 0:
		d, err := lib.Default()
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s (%s)\n", d.Name, d.Path)
		return nil
	case 1:
		if err := lib.SetDefault(names[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "default model: %s\n", names[0])
		return nil
	}
	return usageErrorf("name one model")
}

// humanBytes prints sizes the way people read them: 142 MB, 1.5 GB.
func humanBytes(n int64) string {
	switch {
	case n <= 0:
		return "0 B"
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<30)), ".0") + " GB"
}
