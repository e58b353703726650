# The two commands of the README: `make run` and `make test`. Each sets up everything it needs first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# The fonts a shared trip's image is drawn with (web/sharing/card.py): DejaVu, and Droid Sans Fallback (7 MB,
# against 91 MB for Noto CJK) for Japanese, Chinese and Korean names. The unit tests draw it too.
FONT_PACKAGES := fonts-dejavu-core fonts-droid-fallback
# The browser tests (tests/browser/) drive Debian's chromium through Playwright, which never downloads its own.
BROWSER_PACKAGES := chromium
APT_PACKAGES := docker-compose redis-server dovecot-imapd kcat $(FONT_PACKAGES) $(BROWSER_PACKAGES)
# The broker runs on the JVM; its jars come from Maven Central through Maven (devtools/kafka/pom.xml).
JAVA_PACKAGES := openjdk-17-jre-headless maven
# gettext catalogs (README "Translations"): the .po files are the source, the .mo files are compiled by `setup`.
LOCALES := web/locales
LANGUAGES := en es de fr ja pt
MO_FILES := $(foreach lang,$(LANGUAGES),$(LOCALES)/$(lang)/LC_MESSAGES/messages.mo)
PYBABEL := $(VENV)/bin/pybabel
# Where translatable strings are: the installed packages (pyproject.toml), not tests/, devtools/ or .venv/.
EXTRACT_FROM := faust_app.py domain streams agents tables web integrations runtime commands

.PHONY: run test unit integration bench bench-tools lint setup messages system-packages java-packages kafka clean

run: setup kafka
	$(PY) -m devtools.devstack

test: setup system-packages kafka
	$(PY) -m pytest -q

unit: setup
	@$(MAKE) -s system-packages APT_PACKAGES="$(FONT_PACKAGES)"
	$(PY) -m pytest -q tests/unit

integration: setup system-packages kafka
	$(PY) -m pytest -q tests/integration

bench: setup
	$(PY) bench/api_latency.py

# Lighthouse for bench/first_paint.py, pinned by bench/package-lock.json (12.2.3: 13 needs Node 22). It drives
# Debian's chromium (CHROME_PATH), never a browser of its own.
bench-tools: system-packages
	@command -v npm >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	cd bench && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund

lint: setup
	$(VENV)/bin/ruff check .

setup: $(VENV)/.installed $(MO_FILES)

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PY) -m pip install -q -e ".[dev]"
	touch $@

# New and changed strings from the code and templates into messages.pot, then into every language's .po
# (new entries empty, changed ones fuzzy: a translator fills them in, then `make` compiles).
messages: $(VENV)/.installed
	$(PYBABEL) -q extract -F babel.cfg --project="Road Warrior" --copyright-holder="Road Warrior" --no-location \
	  -o $(LOCALES)/messages.pot $(EXTRACT_FROM)
	$(PYBABEL) -q update -i $(LOCALES)/messages.pot -d $(LOCALES) --ignore-obsolete

$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(PYBABEL) -q compile -i $< -o $@

# Apache Kafka's jars, resolved once into .cache/ (kept by `make clean`: they are not data).
kafka: setup java-packages
	@$(PY) -m devtools.broker jars

# java and mvn from Debian when the machine has none; if that cannot be done, `make run` says what is missing.
java-packages:
	@if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then \
	  echo "installing Debian packages: $(JAVA_PACKAGES)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(JAVA_PACKAGES) \
	    >/dev/null ) || echo "could not install $(JAVA_PACKAGES): install Java 17 and Maven to run Kafka"; \
	fi

# Debian packages the tests drive for real (compose config check, Redis, kcat, fonts). Installed only when missing.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

clean:
	rm -rf var .pytest_cache
