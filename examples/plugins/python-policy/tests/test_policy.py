"""Unit tests of policy.py (pure: no gRPC).

Run from the repository root:
    /usr/bin/python3 -m unittest discover -s examples/plugins/python-policy/tests
"""

import os
import sys
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))

import policy  # noqa: E402
from policy import RepoFile  # noqa: E402


def codes(findings):
    return [(f.code, f.line, f.column) for f in findings]


def scan(text, path=".github/workflows/ci.yml"):
    return policy.validate([(path, text)])


class UnpinnedImageTest(unittest.TestCase):
    def test_latest_and_untagged_images_in_yaml(self):
        text = "jobs:\n  a:\n    container: node:latest\n    services:\n      db:\n        image: postgres\n"
        self.assertEqual(
            codes(scan(text)),
            [(policy.UNPINNED_IMAGE, 3, 16), (policy.UNPINNED_IMAGE, 6, 16)],
        )

    def test_finding_fields(self):
        [f] = scan("image: node:latest\n", path=".gitlab-ci.yml")
        self.assertEqual(f.level, policy.WARNING)
        self.assertEqual((f.path, f.line, f.column, f.end_column), (".gitlab-ci.yml", 1, 8, 19))
        self.assertEqual(f.title, "Container image node:latest uses the latest tag")
        self.assertIn("node:<version>", f.fix_hint)
        self.assertFalse(f.title.endswith("."))

    def test_untagged_title_and_hint(self):
        [f] = scan("image: postgres\n")
        self.assertEqual(f.title, "Container image postgres has no tag")
        self.assertIn("postgres@sha256:<digest>", f.fix_hint)

    def test_pinned_images_pass(self):
        text = "\n".join(
            [
                "image: node:20.11",
                "image: cimg/node:20.11.1",
                "image: ghcr.io/org/app:1.2.3",
                "image: localhost:5000/app:1.0",
                "image: postgres@sha256:" + "a" * 64,
                "image: ${{ matrix.image }}",
                "image: $CI_REGISTRY_IMAGE",
                "image: ''",
                "image:",
                "  name: node:latest",  # a GitLab mapping: not a plain `image:` key
                "container:",
                "image: {name: node}",
                "image: &anchor node",
            ]
        )
        self.assertEqual(scan(text), [])

    def test_registry_port_is_not_a_tag(self):
        self.assertEqual(codes(scan("image: localhost:5000/app\n")), [(policy.UNPINNED_IMAGE, 1, 8)])

    def test_quoted_list_item_and_comment(self):
        text = '  - image: "redis:latest" # cache\n  - image: \'mysql\'\n'
        self.assertEqual(codes(scan(text)), [(policy.UNPINNED_IMAGE, 1, 13), (policy.UNPINNED_IMAGE, 2, 13)])

    def test_json_fragment(self):
        text = '{\n  "services": [{"name": "db"}],\n  "image": "node:latest",\n  "x": 1\n}\n'
        self.assertEqual(codes(scan(text, path="out.json")), [(policy.UNPINNED_IMAGE, 3, 13)])

    def test_yaml_comments_are_ignored(self):
        self.assertEqual(scan("# image: node\n    # uses: a/b@main\n"), [])

    def test_docker_uses(self):
        self.assertEqual(codes(scan("      - uses: docker://alpine\n")), [(policy.UNPINNED_IMAGE, 1, 24)])
        self.assertEqual(scan("      - uses: docker://alpine:3.20\n"), [])


class DockerfileTest(unittest.TestCase):
    def test_from(self):
        text = "FROM ubuntu\nRUN true\nfrom --platform=$BUILDPLATFORM golang:latest AS build\nFROM build\nFROM scratch\n"
        self.assertEqual(
            codes(scan(text, path="app/Dockerfile")),
            [(policy.UNPINNED_IMAGE, 1, 6), (policy.UNPINNED_IMAGE, 3, 32)],
        )

    def test_stage_names_are_case_insensitive(self):
        text = "FROM node:20 AS Deps\nFROM deps\n"
        self.assertEqual(scan(text, path="Dockerfile"), [])

    def test_lower_case_from_only_counts_in_dockerfiles(self):
        text = "run: |\n  python - <<EOF\n  from os import path\n  EOF\n"
        self.assertEqual(scan(text), [])
        self.assertEqual(codes(scan("  FROM debian\n")), [(policy.UNPINNED_IMAGE, 1, 8)])

    def test_dockerfile_names(self):
        for path in ["Dockerfile", "a/Dockerfile.dev", "x.dockerfile", "Containerfile"]:
            self.assertEqual(len(scan("from alpine\n", path=path)), 1, path)
        self.assertEqual(scan("from alpine\n", path="notes.txt"), [])

    def test_templated_from(self):
        self.assertEqual(scan("ARG BASE=ubuntu\nFROM ${BASE}\nFROM $BASE\n", path="Dockerfile"), [])


class UnpinnedActionTest(unittest.TestCase):
    def test_branch_refs(self):
        text = (
            "jobs:\n  a:\n    steps:\n"
            "      - uses: actions/checkout@main\n"
            "      - uses: 'org/repo/path@master'\n"
            "      - uses: x/y@HEAD\n"
            "  b:\n    uses: org/repo/.github/workflows/ci.yml@main\n"
        )
        self.assertEqual(
            codes(scan(text)),
            [
                (policy.UNPINNED_ACTION, 4, 15),
                (policy.UNPINNED_ACTION, 5, 16),
                (policy.UNPINNED_ACTION, 6, 15),
                (policy.UNPINNED_ACTION, 8, 11),
            ],
        )

    def test_finding_fields(self):
        [f] = scan("      - uses: actions/checkout@main\n")
        self.assertEqual(f.level, policy.ERROR)
        self.assertEqual(f.title, "Action actions/checkout is used at branch main")
        self.assertEqual((f.line, f.column, f.end_column), (1, 15, 36))
        self.assertIn("actions/checkout@<40-hex-sha>", f.fix_hint)

    def test_missing_ref(self):
        [f] = scan("- uses: actions/checkout\n")
        self.assertEqual((f.code, f.title), (policy.UNPINNED_ACTION, "Action actions/checkout has no version"))

    def test_pinned_actions_pass(self):
        text = (
            "- uses: actions/checkout@v4\n"
            "- uses: actions/checkout@" + "0" * 40 + " # v4\n"
            "- uses: ./.github/actions/local\n"
            "- uses: actions/checkout@main-v2\n"
            "- uses: actions/checkout@Main\n"
            "- uses: ${{ matrix.action }}\n"
        )
        self.assertEqual(scan(text), [])


class JenkinsTest(unittest.TestCase):
    def test_declarative_and_scripted(self):
        text = "agent {\n  docker {\n    image 'maven'\n  }\n}\ndocker.image(\"node:latest\").inside {\n// image 'x'\n"
        self.assertEqual(
            codes(scan(text, path="Jenkinsfile")),
            [(policy.UNPINNED_IMAGE, 3, 12), (policy.UNPINNED_IMAGE, 6, 15)],
        )


class OrderingAndEdgeTest(unittest.TestCase):
    def test_sorted_by_path_line_column(self):
        found = policy.validate(
            [
                ("b.yml", "image: a\nimage: b\n"),
                ("a.yml", "- uses: x/y@main\n"),
                ("a.yml", "image: z\n"),  # the same path twice still sorts
            ]
        )
        self.assertEqual(
            [(f.path, f.line, f.column, f.code) for f in found],
            [
                ("a.yml", 1, 8, policy.UNPINNED_IMAGE),
                ("a.yml", 1, 9, policy.UNPINNED_ACTION),
                ("b.yml", 1, 8, policy.UNPINNED_IMAGE),
                ("b.yml", 2, 8, policy.UNPINNED_IMAGE),
            ],
        )

    def test_deterministic(self):
        frags = [(f"w{i % 7}.yml", "image: node\n- uses: a/b@main\n" * (i % 5)) for i in range(50)]
        self.assertEqual(policy.validate(frags), policy.validate(list(reversed(frags))))

    def test_empty(self):
        self.assertEqual(policy.validate([]), [])
        self.assertEqual(policy.validate([("", "")]), [])
        self.assertEqual(scan("\n\n\r\n"), [])

    def test_crlf(self):
        self.assertEqual(codes(scan("a: 1\r\nimage: node\r\n")), [(policy.UNPINNED_IMAGE, 2, 8)])

    def test_non_ascii_columns_count_code_points(self):
        text = "# ünïcödé\nenv: {名前: 値}\n    image: \"node\"   # 🐳\n- {}\n      - uses: a/b@main\n"
        self.assertEqual(codes(scan(text, path="ワーク/ci.yml")), [(policy.UNPINNED_IMAGE, 3, 13), (policy.UNPINNED_ACTION, 5, 15)])
        # Only "\n" ends a line (not U+2028 or \f, which str.splitlines() would split on).
        self.assertEqual(codes(scan("x: a\u2028b\fc\nimage: node\n")), [(policy.UNPINNED_IMAGE, 2, 8)])

    def test_huge_content_is_capped_and_fast(self):
        line = "image: node:latest\n"
        text = line * (1024 * 1024 // len(line) + 1)  # > 1 MB, ~55k findings
        started = time.monotonic()
        found = scan(text)
        self.assertLess(time.monotonic() - started, 5.0)
        self.assertEqual(len(found), policy.MAX_FINDINGS_PER_FILE + 1)
        last = found[-1]
        self.assertEqual((last.code, last.level, last.line), (policy.TOO_MANY_FINDINGS, policy.INFO, policy.MAX_FINDINGS_PER_FILE + 1))
        self.assertIn(str(len(text.splitlines()) - policy.MAX_FINDINGS_PER_FILE), last.title)

    def test_huge_single_line(self):
        self.assertEqual(scan("x" * (1024 * 1024)), [])
        self.assertEqual(scan("FROM " + "--a " * 200000), [])
        self.assertEqual(len(scan("image: " + "a" * (1024 * 1024))), 1)


class DetectTest(unittest.TestCase):
    def test_nothing(self):
        r = policy.detect([])
        self.assertEqual((r.signals, r.facts, r.confidence), ([], {}, 0.0))
        r = policy.detect([RepoFile("src/main.py"), RepoFile("docs/Dockerfile.md", b"FROM x")])
        self.assertEqual((r.signals, r.confidence), ([], 0.0))

    def test_paths_only(self):
        r = policy.detect([RepoFile("Dockerfile"), RepoFile("svc/api/Dockerfile"), RepoFile(".github/workflows/ci.yaml")])
        self.assertEqual(r.signals, ["has_dockerfile", "has_github_workflows"])
        self.assertEqual(r.confidence, 0.6)
        self.assertEqual(
            r.facts,
            {
                "dockerfile_count": "2",
                "workflow_count": "1",
                "policy_scanned_file_count": "0",
                "unpinned_image_count": "0",
                "unpinned_action_count": "0",
            },
        )

    def test_workflows_must_be_top_level_yaml(self):
        r = policy.detect([RepoFile(".github/workflows/sub/x.yml"), RepoFile(".github/workflows/README.md"), RepoFile("a/.github/workflows/x.yml")])
        self.assertEqual(r.confidence, 0.0)

    def test_content_is_scanned(self):
        r = policy.detect(
            [
                RepoFile(".github/workflows/ci.yml", b"steps:\n  - uses: actions/checkout@main\n  - uses: docker://node\n"),
                RepoFile("Dockerfile", b"FROM ubuntu\n"),
                RepoFile("README.md", b"image: node\n"),  # not a file this plugin looks at
            ]
        )
        self.assertEqual(r.signals, ["has_dockerfile", "has_github_workflows", "has_unpinned_images", "has_unpinned_actions"])
        self.assertEqual(r.facts["unpinned_image_count"], "2")
        self.assertEqual(r.facts["unpinned_action_count"], "1")
        self.assertEqual(r.facts["policy_scanned_file_count"], "2")

    def test_unicode_and_binary_content(self):
        r = policy.detect([RepoFile("ドッカー/Dockerfile", b"\xff\xfe FROM \xe2\x82\xac\nFROM caf\xc3\xa9:latest\n")])
        self.assertEqual(r.facts["dockerfile_count"], "1")

    def test_many_files(self):
        files = [RepoFile(f"pkg{i}/src/file{i}.py") for i in range(100_000)] + [RepoFile("pkg7/Dockerfile", b"FROM node\n")]
        started = time.monotonic()
        r = policy.detect(files)
        self.assertLess(time.monotonic() - started, 5.0)
        self.assertEqual((r.facts["dockerfile_count"], r.facts["unpinned_image_count"]), ("1", "1"))


if __name__ == "__main__":
    unittest.main()
