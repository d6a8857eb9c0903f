package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link YamlTree} gives the tree {@code YAMLMapper.readTree}, the reader it replaces, gives. */
class YamlTreeTest {
    private static final YAMLMapper MAPPER = new YAMLMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "version: 0.1\nlog:\n  level: info\n  fields:\n    service: registry\nstorage:\n  filesystem:\n"
                + "    rootdirectory: /var/lib/registry\n  delete:\n    enabled: true\nhttp:\n  addr: :5000\n"
                + "  headers:\n    X-Content-Type-Options: [nosniff]\n",
        "small: 7\nlarge: 9000000000\nhuge: 123456789012345678901234567890\nnegative: -3\nfloat: 1.5\nexp: 1e3\n",
        "t: true\nf: false\nyes: yes\noff: off\nnull1: null\nnull2: ~\nempty:\nquoted: \"12\"\nsingle: '1.10'\n",
        "list:\n  - a\n  - 2\n  - [x, {k: v}]\n  - {}\n  - []\nflow: {a: 1, b: [true, null]}\n",
        "dup: 1\ndup: 2\n",
        "base: &anchor\n  key: value\ncopy: *anchor\n",
        "data: !!binary aGVsbG8=\n",
        "first: 1\n---\nsecond: 2\n",
        "just a string",
        "42",
        "- a\n- b\n",
        "multi: |\n  line one\n  line two\nfolded: >\n  folded\n  text\n",
    })
    void readsAsYamlMapperReadTreeDoes(String document) throws Exception {
        assertEquals(MAPPER.readTree(document), YamlTree.read(document));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "# only a comment\n"})
    void aDocumentWithoutContentIsNull(String document) throws Exception {
        assertEquals(true, MAPPER.readTree(document).isMissingNode());
        assertNull(YamlTree.read(document));
    }

    @ParameterizedTest
    @ValueSource(strings = {"key: [unclosed\n", "a: b: c\n", "key: 'open\n", "\tkey: tab\n"})
    void notYamlFailsAsTheMapperFails(String document) {
        JsonProcessingException expected = assertThrows(JsonProcessingException.class, () -> MAPPER.readTree(document));
        JsonProcessingException actual = assertThrows(JsonProcessingException.class, () -> YamlTree.read(document));
        assertEquals(expected.getOriginalMessage(), actual.getOriginalMessage());
        assertEquals(expected.getLocation().getLineNr(), actual.getLocation().getLineNr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.10", "[a, b]", "true", "htpasswd", "{a: 1}", "'quoted'"})
    void anEnvironmentValueReadsAsTheMapperReadsIt(String value) throws Exception {
        JsonNode expected = MAPPER.readTree(value);
        assertEquals(expected, YamlTree.read(value));
    }
}
