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

async function main() {
  const pkg = require('tokenizers/package.json');
  for (const [fixture, extra] of Object.entries(corpus.special_by_fixture)) {
    const file = path.join(shared, 'fixtures', fixture, 'tokenizer.json');
    const tokenizer = Tokenizer.fromFile(file);
    const cases = [];
    for (const text of corpus.shared.concat(extra)) {
      for (const addSpecialTokens of [false, true]) {
        const encoding = await tokenizer.encode(text, null, { addSpecialTokens });
        cases.push({ text, add_special_tokens: addSpecialTokens, ids: Array.from(encoding.getIds()) });
      }
    }
    const out = { generator: `tokenizers ${pkg.version} (npm)`, tokenizer: `fixtures/${fixture}/tokenizer.json`, cases };
    const target = path.join(dataDir, `tokenizer_golden_${fixture}.json`);
    fs.writeFileSync(target, JSON.stringify(out) + '\n');
    console.log(`${target}: ${cases.length} cases`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
