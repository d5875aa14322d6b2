console.log('folio cli', process.argv.slice(2));
