import Foundation
import MBTCLI

exit(await MBTCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
