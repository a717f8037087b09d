#include <libxml/xmlversion.h>
/* libxml2 built with ICU includes <unicode/ucnv.h>, whose enums clash with Foundation's own ICU
   module; nothing here touches the ICU converter, so its declarations are left out. */
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
