// Writes tests/data/models/tokenizer_golden_<fixture>.json: the ids Hugging Face's
// tokenizers library (Node binding, see package.json) gives for every corpus string, with and
// without special tokens, using each fixture's tokenizer.json. The C++ tests compare against
// these committed files, so running them needs no Node.
//   cd tests/models/tokenizer/reference && npm ci && node make_goldens.js [shared-dir]
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

const repo = path.resolve(__dirname, '../../../..');
const shared = path.resolve(process.argv[2] || path.join(repo, '..', 'shared'));
const dataDir = path.join(repo, 'tests', 'data', 'models');
const corpus = JSON.parse(fs.readFileSync(path.join(dataDir, 'tokenizer_corpus.json'), 'utf8'));

const pkg = require('tokenizers/package.json');

async function writeGolden(file, label, texts, target) {
  const tokenizer = Tokenizer.fromFile(file);
  const cases = [];
  for (const text of texts) {
    for (const addSpecialTokens of [false, true]) {
      const encoding = await tokenizer.encode(text, null, { addSpecialTokens });
      cases.push({ text, add_special_tokens: addSpecialTokens, ids: Array.from(encoding.getIds()) });
    }
  }
  const out = { generator: `tokenizers ${pkg.version} (npm)`, tokenizer: label, cases };
  fs.writeFileSync(target, JSON.stringify(out) + '\n');
  console.log(`${target}: ${cases.length} cases`);
}

async function main() {
  for (const [fixture, extra] of Object.entries(corpus.special_by_fixture)) {
    await writeGolden(path.join(shared, 'fixtures', fixture, 'tokenizer.json'), `fixtures/${fixture}/tokenizer.json`,
                      corpus.shared.concat(extra), path.join(dataDir, `tokenizer_golden_${fixture}.json`));
  }
  // Hand-made tokenizer.json files exercising components no fixture uses (single_word, rstrip,
  // Metaspace, split behaviours, Roberta/Bert processing, subword prefixes...).
  for (const [name, extra] of Object.entries(corpus.synthetic)) {
    const label = `tests/data/models/synthetic_tokenizers/${name}.json`;
    await writeGolden(path.join(repo, label), label, corpus.shared.concat(extra),
                      path.join(dataDir, `tokenizer_golden_synthetic_${name}.json`));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
