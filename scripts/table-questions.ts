/**
 * Writes the table question set (issue 24) and the tables it adds to the shared CSVs: a workbook
 * (orders.xlsx, two sheets, dates and currency), an OpenDocument sheet written the European way
 * (stations.ods: "8,3", "1.234"), and an HTML filing with a wide revenue table (revenue.html).
 * Every answer is computed here, from the raw files with plain code of its own (never Folio's
 * table reader), so the eval checks Folio against something independent.
 *
 *   npx tsx scripts/table-questions.ts test/fixtures/tables [../shared/data/tables]
 *
 * Questions alternate between the tune half (rules were tuned on these) and the report half.
 */
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { ods, xlsx, type Cell } from './lib/office';

const out = process.argv[2] ?? 'test/fixtures/tables';
const shared = process.argv[3] ?? path.resolve('../shared/data/tables');
fs.mkdirSync(out, { recursive: true });

type Row = Record<string, string>;
const csv = (name: string): Row[] =>
  Papa.parse<Row>(fs.readFileSync(path.join(shared, name), 'utf8'), { header: true, skipEmptyLines: true }).data;
const num = (v: string | undefined) => Number(v);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;
/** The key whose group has the largest score; ties are an error in the question set. */
function argBest<T>(rows: T[], key: (r: T) => string, score: (rs: T[]) => number, low = false): string {
  const groups = new Map<string, T[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  const ranked = [...groups]
    .map(([k, rs]) => [k, score(rs)] as const)
    .sort((a, b) => (low ? a[1] - b[1] : b[1] - a[1]));
  if (ranked[1] && ranked[1][1] === ranked[0]![1])
    throw new Error(`tie in question set: ${ranked[0]![0]}, ${ranked[1][0]}`);
  return ranked[0]![0];
}
const one = <T>(rows: T[]): T => {
  if (rows.length !== 1) throw new Error(`expected one row, found ${rows.length}`);
  return rows[0]!;
};

interface Question {
  table: string;
  question: string;
  answer: number | string;
  kind: string;
}
const qs: Question[] = [];
const ask = (table: string, kind: string, question: string, answer: number | string) =>
  qs.push({ table, kind, question, answer });

// ---- The shared CSVs ----------------------------------------------------------------------
const birds = csv('birdstrikes.csv');
const B = 'birdstrikes.csv';
const cost = (r: Row) => num(r['Cost Total $']);
ask(
  B,
  'count',
  'How many bird strikes were there in Texas?',
  birds.filter((r) => r['Origin State'] === 'Texas').length,
);
ask(
  B,
  'count2',
  'How many bird strikes happened in California in 1995?',
  birds.filter((r) => r['Origin State'] === 'California' && r['Flight Date']!.startsWith('1995')).length,
);
ask(
  B,
  'count',
  'How many strikes involved large wildlife?',
  birds.filter((r) => r['Wildlife Size'] === 'Large').length,
);
ask(B, 'count', 'How many bird strikes happened at night?', birds.filter((r) => r['Time of day'] === 'Night').length);
ask(
  B,
  'count2',
  'How many bird strikes in Florida happened during approach?',
  birds.filter((r) => r['Origin State'] === 'Florida' && r['Phase of flight'] === 'Approach').length,
);
ask(
  B,
  'sum',
  'What was the total cost of bird strikes in New York?',
  sum(birds.filter((r) => r['Origin State'] === 'New York').map(cost)),
);
ask(
  B,
  'mean',
  'What was the average speed in knots of bird strikes during climb?',
  mean(
    birds
      .filter((r) => r['Phase of flight'] === 'Climb' && r['Speed IAS in knots'])
      .map((r) => num(r['Speed IAS in knots'])),
  ),
);
ask(
  B,
  'argmax',
  'Which state had the most bird strikes?',
  argBest(
    birds,
    (r) => r['Origin State']!,
    (rs) => rs.length,
  ),
);
ask(
  B,
  'argmax',
  'Which year had the most bird strikes?',
  argBest(
    birds,
    (r) => r['Flight Date']!.slice(0, 4),
    (rs) => rs.length,
  ),
);
ask(B, 'max', 'What was the highest total cost of a bird strike?', Math.max(...birds.map(cost)));
ask(
  B,
  'argmax',
  'Which phase of flight had the most bird strikes?',
  argBest(
    birds,
    (r) => r['Phase of flight']!,
    (rs) => rs.length,
  ),
);
ask(
  B,
  'count',
  'How many bird strikes caused substantial damage?',
  birds.filter((r) => r['Effect Amount of damage'] === 'Substantial').length,
);
ask(
  B,
  'count2',
  'How many bird strikes at dusk were in 2001?',
  birds.filter((r) => r['Time of day'] === 'Dusk' && r['Flight Date']!.startsWith('2001')).length,
);

const co2 = csv('co2-concentration.csv');
const C = 'co2-concentration.csv';
ask(
  C,
  'lookup',
  'What was the CO2 concentration in March 1990?',
  num(one(co2.filter((r) => r.Date === '1990-03-01')).CO2),
);
ask(C, 'max', 'What was the highest CO2 level?', Math.max(...co2.map((r) => num(r.CO2))));
ask(C, 'min', 'What was the lowest CO2 concentration?', Math.min(...co2.map((r) => num(r.CO2))));
ask(
  C,
  'mean',
  'What was the average CO2 in 2000?',
  mean(co2.filter((r) => r.Date!.startsWith('2000')).map((r) => num(r.CO2))),
);
ask(
  C,
  'lookup',
  'What was the adjusted CO2 in June 2010?',
  num(one(co2.filter((r) => r.Date === '2010-06-01'))['adjusted CO2']),
);
ask(
  C,
  'argmax',
  'In which year was the CO2 concentration highest?',
  argBest(
    co2,
    (r) => r.Date!.slice(0, 4),
    (rs) => Math.max(...rs.map((r) => num(r.CO2))),
  ),
);

const flights = csv('flights-airport.csv');
const F = 'flights-airport.csv';
ask(
  F,
  'lookup',
  'How many flights went from ATL to ORD?',
  sum(flights.filter((r) => r.origin === 'ATL' && r.destination === 'ORD').map((r) => num(r.count))),
);
ask(
  F,
  'sum',
  'How many flights departed from LAX in total?',
  sum(flights.filter((r) => r.origin === 'LAX').map((r) => num(r.count))),
);
ask(
  F,
  'argmax',
  'Which destination received the most flights from SEA?',
  argBest(
    flights.filter((r) => r.origin === 'SEA'),
    (r) => r.destination!,
    (rs) => sum(rs.map((r) => num(r.count))),
  ),
);
ask(F, 'count', 'How many destinations are served from DEN?', flights.filter((r) => r.origin === 'DEN').length);
ask(
  F,
  'argmax',
  'Which origin had the most flights?',
  argBest(
    flights,
    (r) => r.origin!,
    (rs) => sum(rs.map((r) => num(r.count))),
  ),
);
ask(F, 'max', 'What is the largest flight count on a single route?', Math.max(...flights.map((r) => num(r.count))));

const gap = csv('gapminder-health-income.csv');
const G = 'gapminder-health-income.csv';
const country = (c: string) => one(gap.filter((r) => r.country === c));
ask(G, 'lookup', 'What is the income of Norway?', num(country('Norway').income));
ask(G, 'lookup', 'What is the life expectancy in Japan?', num(country('Japan').health));
ask(G, 'lookup', 'What is the population of Brazil?', num(country('Brazil').population));
ask(
  G,
  'count',
  'How many countries are in Sub-Saharan Africa?',
  gap.filter((r) => r.region === 'sub_saharan_africa').length,
);
ask(
  G,
  'mean',
  'What is the average income in South Asia?',
  mean(gap.filter((r) => r.region === 'south_asia').map((r) => num(r.income))),
);
ask(
  G,
  'argmax',
  'Which country has the highest income?',
  argBest(
    gap,
    (r) => r.country!,
    (rs) => num(rs[0]!.income),
  ),
);
ask(
  G,
  'argmin',
  'Which country has the lowest life expectancy?',
  argBest(
    gap,
    (r) => r.country!,
    (rs) => num(rs[0]!.health),
    true,
  ),
);
ask(
  G,
  'sum',
  'What is the total population of America?',
  sum(gap.filter((r) => r.region === 'america').map((r) => num(r.population))),
);
ask(
  G,
  'argmax',
  'Which region has the most countries?',
  argBest(
    gap,
    (r) => r.region!,
    (rs) => rs.length,
  ),
);

const temp = csv('global-temp.csv');
const T = 'global-temp.csv';
ask(T, 'lookup', 'What was the temperature anomaly in 1998?', num(one(temp.filter((r) => r.year === '1998')).temp));
ask(
  T,
  'argmax',
  'Which year was the warmest?',
  argBest(
    temp,
    (r) => r.year!,
    (rs) => num(rs[0]!.temp),
  ),
);
ask(
  T,
  'argmin',
  'Which year was the coldest?',
  argBest(
    temp,
    (r) => r.year!,
    (rs) => num(rs[0]!.temp),
    true,
  ),
);
ask(T, 'mean', 'What was the average temperature anomaly?', mean(temp.map((r) => num(r.temp))));
ask(T, 'max', 'What was the highest temperature anomaly?', Math.max(...temp.map((r) => num(r.temp))));

const iowa = csv('iowa-electricity.csv');
const I = 'iowa-electricity.csv';
const src = (s: string) => iowa.filter((r) => r.source === s);
ask(
  I,
  'lookup',
  'What was the net generation from nuclear energy in 2010?',
  num(one(src('Nuclear Energy').filter((r) => r.year!.startsWith('2010'))).net_generation),
);
ask(
  I,
  'mean',
  'What was the average net generation from renewables?',
  mean(src('Renewables').map((r) => num(r.net_generation))),
);
ask(
  I,
  'sum',
  'What was the total net generation from fossil fuels?',
  sum(src('Fossil Fuels').map((r) => num(r.net_generation))),
);
ask(
  I,
  'argmax',
  'In which year was the net generation from renewables highest?',
  argBest(
    src('Renewables'),
    (r) => r.year!.slice(0, 4),
    (rs) => num(rs[0]!.net_generation),
  ),
);
ask(
  I,
  'sum',
  'What was the total net generation in 2005?',
  sum(iowa.filter((r) => r.year!.startsWith('2005')).map((r) => num(r.net_generation))),
);
ask(
  I,
  'argmax',
  'Which source had the highest total net generation?',
  argBest(
    iowa,
    (r) => r.source!,
    (rs) => sum(rs.map((r) => num(r.net_generation))),
  ),
);

const peh = csv('population_engineers_hurricanes.csv');
const P = 'population_engineers_hurricanes.csv';
const state = (s: string) => one(peh.filter((r) => r.state === s));
ask(
  P,
  'argmax',
  'Which state had the most hurricanes?',
  argBest(
    peh,
    (r) => r.state!,
    (rs) => num(rs[0]!.hurricanes),
  ),
);
ask(P, 'lookup', 'How many hurricanes hit Texas?', num(state('Texas').hurricanes));
ask(P, 'lookup', 'What is the population of Ohio?', num(state('Ohio').population));
ask(P, 'sum', 'What is the total number of hurricanes across all states?', sum(peh.map((r) => num(r.hurricanes))));
ask(P, 'count', 'How many states had no hurricanes?', peh.filter((r) => num(r.hurricanes) === 0).length);
ask(
  P,
  'argmin',
  'Which state has the lowest population?',
  argBest(
    peh,
    (r) => r.state!,
    (rs) => num(rs[0]!.population),
    true,
  ),
);
ask(P, 'mean', 'What is the average population of the states?', mean(peh.map((r) => num(r.population))));

const emp = csv('us-employment.csv');
const U = 'us-employment.csv';
const month = (m: string) => one(emp.filter((r) => r.month === m));
ask(U, 'lookup', 'What was nonfarm employment in January 2009?', num(month('2009-01-01').nonfarm));
ask(
  U,
  'mean',
  'What was the average construction employment in 2010?',
  mean(emp.filter((r) => r.month!.startsWith('2010')).map((r) => num(r.construction))),
);
ask(U, 'max', 'What was the highest manufacturing employment?', Math.max(...emp.map((r) => num(r.manufacturing))));
ask(
  U,
  'argmax',
  'In which month was government employment highest?',
  argBest(
    emp,
    (r) => r.month!,
    (rs) => num(rs[0]!.government),
  ),
);
ask(
  U,
  'sum',
  'What was the total nonfarm change in 2009?',
  sum(emp.filter((r) => r.month!.startsWith('2009')).map((r) => num(r.nonfarm_change))),
);
ask(U, 'lookup', 'What was retail trade employment in May 2012?', num(month('2012-05-01').retail_trade));

const zips = csv('zipcodes.csv');
const Z = 'zipcodes.csv';
ask(Z, 'count', 'How many zip codes are in Alaska?', zips.filter((r) => r.state === 'AK').length);
ask(Z, 'count', 'How many zip codes does Chicago have?', zips.filter((r) => r.city === 'Chicago').length);
ask(Z, 'count', 'How many zip codes are in Cook county?', zips.filter((r) => r.county === 'Cook').length);
ask(
  Z,
  'argmax',
  'Which state has the most zip codes?',
  argBest(
    zips,
    (r) => r.state!,
    (rs) => rs.length,
  ),
);
ask(
  Z,
  'count2',
  'How many zip codes does Springfield have in IL?',
  zips.filter((r) => r.city === 'Springfield' && r.state === 'IL').length,
);
ask(
  Z,
  'lookup',
  'What is the latitude of zip code 90210?',
  num(one(zips.filter((r) => r.zip_code === '90210')).latitude),
);

// ---- A workbook: orders by date, region and product, on two sheets ---------------------------
let seed = 24;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const regions = ['North', 'South', 'East', 'West'];
const products = ['Lamp', 'Desk', 'Chair', 'Shelf'];
const prices: Record<string, number> = { Lamp: 39.5, Desk: 249, Chair: 89.9, Shelf: 119 };
const orders: { sheet: string; id: number; date: string; region: string; product: string; units: number }[] = [];
for (const year of [2023, 2024])
  for (let i = 0; i < 60; i++) {
    const d = new Date(Date.UTC(year, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)));
    orders.push({
      sheet: String(year),
      id: year * 1000 + i + 1,
      date: d.toISOString().slice(0, 10),
      region: regions[Math.floor(rand() * 4)]!,
      product: products[Math.floor(rand() * 4)]!,
      units: 1 + Math.floor(rand() * 20),
    });
  }
const revenue = (o: (typeof orders)[number]) => Math.round(o.units * prices[o.product]! * 100) / 100;
const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
fs.writeFileSync(
  path.join(out, 'orders.xlsx'),
  xlsx(
    ['2023', '2024'].map((sheet) => ({
      name: sheet,
      rows: [
        ['Order ID', 'Order date', 'Region', 'Product', 'Units', 'Revenue'],
        ...orders
          .filter((o) => o.sheet === sheet)
          .map((o): Cell[] => [String(o.id), { date: o.date }, o.region, o.product, o.units, money(revenue(o))]),
      ],
    })),
  ),
);
const X = 'orders.xlsx › 2024';
const o24 = orders.filter((o) => o.sheet === '2024');
ask(X, 'count', 'How many orders of desks were there in 2024?', o24.filter((o) => o.product === 'Desk').length);
ask(
  X,
  'sum',
  'What was the total revenue of the West region in 2024?',
  sum(o24.filter((o) => o.region === 'West').map(revenue)),
);
ask(
  X,
  'count2',
  'How many chair orders came from the North region in 2024?',
  o24.filter((o) => o.product === 'Chair' && o.region === 'North').length,
);
ask(
  X,
  'mean',
  'What was the average number of units per lamp order in 2024?',
  mean(o24.filter((o) => o.product === 'Lamp').map((o) => o.units)),
);
ask(
  X,
  'argmax',
  'Which product had the most units sold in 2024?',
  argBest(
    o24,
    (o) => o.product,
    (rs) => sum(rs.map((o) => o.units)),
  ),
);

// ---- An OpenDocument sheet written the European way -----------------------------------------
const stations = [
  ['Zugspitze', 'Germany', 2956, 4.8, 1.897],
  ['Hohenpeißenberg', 'Germany', 977, 1.3, 1.101],
  ['Säntis', 'Switzerland', 2502, 2.7, 2.835],
  ['Sonnblick', 'Austria', 3109, -5.4, 1.564],
  ['Jungfraujoch', 'Switzerland', 3571, -7.6, 1.233],
  ['Brocken', 'Germany', 1141, 3.5, 1.814],
  ['Pic du Midi', 'France', 2877, -1.2, 1.302],
  ['Mont Aigoual', 'France', 1567, 5.1, 2.241],
] as const;
const comma = (n: number, digits: number) =>
  n.toLocaleString('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });
fs.writeFileSync(
  path.join(out, 'stations.ods'),
  ods([
    {
      name: 'Stations',
      rows: [
        ['Station', 'Country', 'Elevation (m)', 'Mean temperature', 'Precipitation (mm)'],
        ...stations.map(([s, c, e, t, p]) => [s, c, comma(e, 0), `${comma(t, 1)} °C`, comma(p * 1000, 0)]),
      ],
    },
  ]),
);
const S = 'stations.ods › Stations';
ask(S, 'max', 'What is the highest station elevation?', Math.max(...stations.map((s) => s[2])));
ask(
  S,
  'mean',
  'What is the average mean temperature of the stations in Germany?',
  mean(stations.filter((s) => s[1] === 'Germany').map((s) => s[3])),
);
ask(S, 'lookup', 'What is the precipitation at Säntis?', 2835);
ask(S, 'argmin', 'Which station has the lowest mean temperature?', 'Jungfraujoch');
ask(S, 'count', 'How many stations are in France?', stations.filter((s) => s[1] === 'France').length);

// ---- A document table: a filing's wide table of revenue by year -----------------------------
const lines = [
  ['Casino games', 8_452_100, 4_980_650],
  ['Table games', 6_118_278, 3_001_210],
  ['Bonusing systems', 5_414_000, 2_231_600],
] as const;
const total = [sum(lines.map((l) => l[1])), sum(lines.map((l) => l[2]))];
const usd = (n: number) => `$ ${n.toLocaleString('en-US')}`;
fs.writeFileSync(
  path.join(out, 'revenue.html'),
  `<!doctype html><html><head><title>Annual report 2021</title></head><body><main><h1>Annual report 2021</h1>
<p>Revenue grew in every line of business.</p>
<table><tr><th>Revenue</th><th>2021</th><th>2020</th></tr>
${lines.map(([n, a, b]) => `<tr><td>${n}</td><td>${usd(a)}</td><td>${usd(b)}</td></tr>`).join('\n')}
<tr><td>Total revenue</td><td>${usd(total[0]!)}</td><td>${usd(total[1]!)}</td></tr></table>
<p>Figures are unaudited.</p></main></body></html>`,
);
const H = 'revenue.html › table 1';
ask(H, 'lookup', 'What was total revenue in 2021?', total[0]!);
ask(H, 'lookup', 'What was the revenue from table games in 2020?', lines[1][2]);
ask(H, 'lookup', 'What was the revenue from bonusing systems in 2021?', lines[2][1]);

const lines2 = qs.map((q, i) => JSON.stringify({ id: `t${i + 1}`, split: i % 2 ? 'report' : 'tune', ...q }));
fs.writeFileSync(path.join(out, 'questions.jsonl'), `${lines2.join('\n')}\n`);
const tables = new Set(qs.map((q) => q.table.split(' › ')[0]));
console.log(`${qs.length} questions over ${tables.size} files → ${out}/questions.jsonl`);
