module.exports.authController = require('./auth.controller');
module.exports.userController = require('./user.controller');
