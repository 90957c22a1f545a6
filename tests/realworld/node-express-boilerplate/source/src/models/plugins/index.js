module.exports.toJSON = require('./toJSON.plugin');
module.exports.paginate = require('./paginate.plugin');
