"""The benchmark's peer engines, each indexing exactly the units that
`anli parse --json` produces (same ids, title + text) and answering the same
queries: Xapian through its Python bindings with FLAG_CJK_NGRAM and its
QueryParser (the same engine without anli's work around it), SQLite FTS5
with the trigram tokenizer and BM25, and tantivy with a 1–2-gram tokenizer.

Each engine has build(units, directory) and search(query, limit) ->
[(id, score)], raising on a query it cannot parse.
"""
import os
import sqlite3

import tantivy
import xapian


class XapianPython:
    name = "xapian-python"

    def build(self, units, directory):
        db = xapian.WritableDatabase(directory, xapian.DB_CREATE_OR_OVERWRITE)
        generator = xapian.TermGenerator()
        generator.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
        for unit in units:
            document = xapian.Document()
            generator.set_document(document)
            generator.index_text(unit["title"], 1, "S")
            generator.index_text(unit["title"])
            generator.increase_termpos()
            generator.index_text(unit["text"])
            document.add_boolean_term("Q" + unit["id"])
            document.set_data(unit["id"])
            db.add_document(document)
        db.commit()
        db.close()
        self.open(directory)

    def open(self, directory):
        self.db = xapian.Database(directory)
        self.parser = xapian.QueryParser()
        self.parser.set_database(self.db)
        self.enquire = xapian.Enquire(self.db)

    def search(self, query, limit=10):
        parsed = self.parser.parse_query(query, xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_CJK_NGRAM)
        self.enquire.set_query(parsed)
        return [(match.document.get_data().decode(), match.weight) for match in self.enquire.get_mset(0, limit)]


class SQLiteTrigram:
    name = "sqlite-fts5-trigram"

    def build(self, units, directory):
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, "fts.db")
        if os.path.exists(path):
            os.remove(path)
        connection = sqlite3.connect(path)
        connection.execute("CREATE VIRTUAL TABLE units USING fts5(id UNINDEXED, title, body, tokenize='trigram')")
        connection.executemany("INSERT INTO units VALUES (?, ?, ?)", [(u["id"], u["title"], u["text"]) for u in units])
        connection.commit()
        connection.close()
        self.open(directory)

    def open(self, directory):
        self.connection = sqlite3.connect(os.path.join(directory, "fts.db"))

    def search(self, query, limit=10):
        # Each whitespace-separated word as a quoted string (substring match);
        # FTS5's own syntax errors on most Chinese punctuation otherwise.
        words = [w.replace('"', '""') for w in query.replace("“", " ").replace("”", " ").split()]
        if not words:
            return []
        match = " AND ".join(f'"{w}"' for w in words)
        rows = self.connection.execute(
            "SELECT id, bm25(units) FROM units WHERE units MATCH ? ORDER BY bm25(units) LIMIT ?", (match, limit))
        return [(row[0], -row[1]) for row in rows]


class TantivyNgram:
    name = "tantivy-ngram"

    def schema(self):
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=False, tokenizer_name="ngram12")
        builder.add_text_field("body", stored=False, tokenizer_name="ngram12")
        return builder.build()

    def register(self, index):
        analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(min_gram=1, max_gram=2, prefix_only=False))
        index.register_tokenizer("ngram12", analyzer.filter(tantivy.Filter.lowercase()).build())

    def build(self, units, directory):
        os.makedirs(directory, exist_ok=True)
        index = tantivy.Index(self.schema(), path=directory)
        self.register(index)
        writer = index.writer()
        for unit in units:
            writer.add_document(tantivy.Document(id=unit["id"], title=unit["title"], body=unit["text"]))
        writer.commit()
        writer.wait_merging_threads()
        self.open(directory)

    def open(self, directory):
        self.index = tantivy.Index(self.schema(), path=directory)
        self.register(self.index)
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, query, limit=10):
        parsed = self.index.parse_query(query, ["title", "body"])
        result = self.searcher.search(parsed, limit)
        return [(self.searcher.doc(address)["id"][0], score) for score, address in result.hits]


PEERS = [XapianPython, SQLiteTrigram, TantivyNgram]
