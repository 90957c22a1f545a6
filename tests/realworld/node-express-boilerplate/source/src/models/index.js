module.exports.Token = require('./token.model');
module.exports.User = require('./user.model');
