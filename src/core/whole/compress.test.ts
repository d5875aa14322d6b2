import { expect, test } from 'vitest';
import { compressQuote, type QuoteCut, quoteMatches, quoteWords } from './compress';
import { QUOTE_CUTS } from './summarise';

// Sentences from the summaries of test/fixtures/summaries-tune (eLife papers, Wikipedia articles),
// as the summariser quoted them before compression.
const GOES: [string, string][] = [
  // An author-year citation.
  [
    'Total lipids present in each lens nucleus were obtained using a well-established method that reports high yield of lipids and minimal protein contamination (Folch et al., 1957).',
    'Total lipids present in each lens nucleus were obtained using a well-established method that reports high yield of lipids and minimal protein contamination …',
  ],
  // Citations and a figure pointer in one bracket; a clause that points at a figure; the acronym stays.
  [
    'A conspicuous structural difference between apicomplexan MDHs and LDHs is an insertion within the active site loop of the LDHs (Bzik et al., 1993; Dunn et al., 1996; Figure 2).',
    'A conspicuous structural difference between apicomplexan MDHs and LDHs is an insertion within the active site loop of the LDHs …',
  ],
  [
    'As shown in Figure 1B, the fraction of 14C (f14C) present in the lipid extract from a human lens nucleus was found to be a highly accurate predictor of the year of birth (R2 = 0.9683), indicating negligible lipid turnover during the human lifespan.',
    '… the fraction of 14C (f14C) present in the lipid extract from a human lens nucleus was found to be a highly accurate predictor of the year of birth (R2 = 0.9683), indicating negligible lipid turnover during the human lifespan.',
  ],
  // eLife's figure supplements; "see Figure".
  [
    'The low residual level of H3K27me3 marks in the 92 kb PS5 domain is likely due to partial contamination from more anterior parasegments in our preparation of PS5 nuclei (Figure 1—figure supplement 2).',
    'The low residual level of H3K27me3 marks in the 92 kb PS5 domain is likely due to partial contamination from more anterior parasegments in our preparation of PS5 nuclei …',
  ],
  [
    'A second strategy (see Figure 1B) to remove extraneous expression from hemilineage lines was based on the fact that the arrested secondary neurons do not express terminal differentiation products such as synaptic vesicle proteins.',
    'A second strategy … to remove extraneous expression from hemilineage lines was based on the fact that the arrested secondary neurons do not express terminal differentiation products such as synaptic vesicle proteins.',
  ],
  // Only the citation of a bracket that says something else too; the finding's p value stays.
  [
    'Only one bacterial species from ATCC50818, the previously undescribed Algoriphagus machipongonensis (phylum Bacteroidetes; Alegado et al. 2012), induced rosette colony development in the RCA cell line (Figure 1C).',
    'Only one bacterial species from ATCC50818, the previously undescribed Algoriphagus machipongonensis (phylum Bacteroidetes …), induced rosette colony development in the RCA cell line …',
  ],
  [
    'Interestingly, we find a positive correlation between the number of mtDNA somatic mutations and age at diagnosis in breast cancers (p = 0.0004; Figure 2C), in keeping with the idea that the number of mitochondrial generations is linked to mutation burden.',
    '… we find a positive correlation between the number of mtDNA somatic mutations and age at diagnosis in breast cancers (p = 0.0004 …), in keeping with the idea that the number of mitochondrial generations is linked to mutation burden.',
  ],
  // A connective that leans on a sentence the summary may not show.
  [
    'However, from 14 August 1947 to 1 March 1956 the Government of India Act 1935, was retained as the Constitution of Pakistan.',
    '… from 14 August 1947 to 1 March 1956 the Government of India Act 1935, was retained as the Constitution of Pakistan.',
  ],
  // Numeric citations (a paper read as text, ../shared/data/summaries style).
  [
    'Unlike other datasets that are curated [11, 22, 26], Multi-LexSum consists of expert summaries.',
    'Unlike other datasets that are curated …, Multi-LexSum consists of expert summaries.',
  ],
];

const STAYS = [
  // Acronym definitions: later quotes use the acronym.
  'Upon encountering antigen-presenting cells (APCs) displaying T cell receptor (TCR) ligands and adhesion molecules, T cells undergo a series of actin dependent shape changes and signaling steps.',
  // Numbers that carry the finding; dates of office; a work's year.
  'There were 571 households, out of which 109 (19.1%) had children under the age of 18 living in them, 248 (43.4%) were opposite-sex married couples living together.',
  'McPherson served as assistant general counsel (1956–1959), associate counsel (1959–1961) and general counsel (1961–1963) to the Democratic Policy Committee.',
  'Her 1997 GQ article was the basis for the feature film Coyote Ugly (2000).',
  // Another name for the subject, a gloss.
  'Ibn al-Haytham (Alhazen) was born c. 965 to an Arab family in Basra, Iraq, which was at the time under Shia rule (Buyid emirate).',
  'The Star is one of only two Canadian newspapers that employs a "public editor" (ombudsman) and was the first to do so.',
  // Brackets that are part of a word.
  'The complete absence of rosette colonies in RCA cultures provided the basis for a robust bioassay that we developed to identify the rosette-inducing molecule(s).',
  'Our results define the [+]-box within the cytosolic linker domain of Ire1 as a critical mRNA docking site.',
  // Openings that say what the paper does: abstracts open so too.
  'Here, we show that kinesin-1 is critical in generating the characteristic minus-end-out MT organization of the dendrite in vivo.',
  'In this study, we compare 1675 cancer and paired normal mtDNA sequences across 31 tumor types.',
  'Overall, these data indicate that accelerated reproduction of LOX2/3-deficient plants in season one was due to a reduced net cost for these plants.',
  // A bracket that starts like a pointer or a citation but says something: it is a finding, kept.
  'The drug (not shown to be effective in trials) was approved.',
  'As shown in Figure 2 the drug did not work, so we stopped the trial.',
  'The tenant may leave early (Section 4 does not apply to leases under a year).',
  'The film flopped (box office receipts fell 40%) in its first week.',
  'Unemployment rose (figures for 2010 show no change) sharply.',
  'It rose (but see Smith et al., 2019, who found no effect) in mice.',
  'The effect vanished (not significant).',
  // Dates and places with a year are not author-year citations.
  'He served as mayor (January 1956 – March 1959) and then as governor.',
  'The company was bought by Google (March 2014) for $500 million.',
  'The treaty (signed in Paris, 1951) created the ECSC.',
  'Deaths fell (from 2019 to 2020).',
  // Intervals in square brackets are not numeric citations.
  'Scores were normalised to [0, 1] before training.',
  'Weights were drawn from [1, 10] at random.',
];

test('a summary quote loses its citations, figure pointers and leaning connectives, each cut shown, and still matches its source', () => {
  for (const [source, compressed] of GOES) {
    expect(compressQuote(source, QUOTE_CUTS)).toBe(compressed);
    expect(quoteMatches(source, compressed)).toBe(true);
    expect(quoteWords(compressed)).toBeLessThan(quoteWords(source));
  }
});

test('acronym definitions, numbers, other names, glosses, brackets inside words and what the paper does stay', () => {
  for (const source of STAYS) expect(compressQuote(source, QUOTE_CUTS)).toBe(source);
});

test('each kind of cut on its own, and all of them', () => {
  const s =
    'In this study, accelerator mass spectrometry (AMS) measured carbon-14 (14C) in lipids (Folch et al., 1957).';
  const cut = (cuts: QuoteCut[]) => compressQuote(s, cuts);
  expect(cut([])).toBe(s);
  expect(cut(['citations'])).toBe(
    'In this study, accelerator mass spectrometry (AMS) measured carbon-14 (14C) in lipids …',
  );
  expect(cut(['acronyms'])).toBe(
    'In this study, accelerator mass spectrometry … measured carbon-14 … in lipids (Folch et al., 1957).',
  );
  const aside = 'Alhazen (as he was known in Latin) wrote on optics (1011–1021).';
  expect(compressQuote(aside, ['asides'])).toBe('Alhazen … wrote on optics (1011–1021).');
  expect(compressQuote(aside, ['numbers'])).toBe('Alhazen (as he was known in Latin) wrote on optics …');
  // A bracket of several parts keeps its other parts in their order, each cut shown where it was.
  const mixed = 'It binds DNA (see Smith et al., 2019; in vitro; Figure 2).';
  expect(compressQuote(mixed, ['citations'])).toBe('It binds DNA (… in vitro; Figure 2).');
  expect(compressQuote(mixed, ['citations', 'pointers'])).toBe('It binds DNA (… in vitro …).');
  for (const q of [compressQuote(mixed, ['citations']), compressQuote(mixed, ['citations', 'pointers'])])
    expect(quoteMatches(mixed, q)).toBe(true);
});

test('a quote that is not its source, or not all of it without a cut shown, does not match', () => {
  const source = 'Unlike other datasets [11, 22], Multi-LexSum consists of expert summaries.';
  expect(quoteMatches(source, source)).toBe(true);
  expect(quoteMatches(source, 'Unlike other datasets …, Multi-LexSum consists of novice summaries.')).toBe(false);
  expect(quoteMatches(source, 'Unlike other datasets, Multi-LexSum consists of expert summaries.')).toBe(false);
  expect(quoteMatches(source, 'Unlike other datasets …, Multi-LexSum consists of expert')).toBe(false);
  expect(quoteMatches(source, 'Multi-LexSum consists … of datasets.')).toBe(false);
  expect(quoteMatches(source, '…')).toBe(false);
  // A cut is at a word's edge: never inside a word or a number.
  expect(quoteMatches('The result was insignificant.', 'The result was … significant.')).toBe(false);
  expect(quoteMatches('Deaths fell by 40%.', 'Deaths fell by 4…%.')).toBe(false);
  expect(quoteMatches('Deaths fell by 40% (Smith et al., 2019).', 'Deaths fell by 40% …')).toBe(true);
});

test('the budget counts words, not the marks of a cut', () => {
  expect(quoteWords('… we found that lipids last …, as shown.')).toBe(7);
});

test('the usual shapes of citations and pointers are still cut whole', () => {
  const cut = (s: string) => compressQuote(s, QUOTE_CUTS);
  expect(cut('Mice lost weight (Fig. 3).')).toBe('Mice lost weight …');
  expect(cut('Mice lost weight (Supplementary Fig. S4 and Table 2).')).toBe('Mice lost weight …');
  expect(cut('Mice lost weight (data not shown).')).toBe('Mice lost weight …');
  expect(cut('Mice lost weight (see Methods).')).toBe('Mice lost weight …');
  expect(cut('Mice lost weight [3, 7–9].')).toBe('Mice lost weight …');
  expect(cut('Mice lost weight (Lo and Wang 2020; Kim, 2021a; van der Berg et al., 2018).')).toBe('Mice lost weight …');
  expect(cut('Mice lost weight (Smith, Jones, and Lee, 2019, 2020).')).toBe('Mice lost weight …');
  expect(cut('As seen in Table 2A, mice lost weight.')).toBe('… mice lost weight.');
});
